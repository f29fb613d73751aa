/**
 * Processes, as far as the I/O system needs them (EPROCESS-lite): an id, an image name for traces,
 * and the handle table that user-mode handles live in.
 */
import { HandleTable } from './handle-table.ts';

export class Process {
  readonly handleTable = new HandleTable();
  constructor(
    readonly processId: number,
    readonly imageName: string,
  ) {}
}
