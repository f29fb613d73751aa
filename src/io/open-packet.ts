/**
 * The open packet (OPEN_PACKET): everything NtCreateFile asked for, carried through the object
 * manager's lookup into IopParseDevice, and the result coming back.
 */

import type { ParseContext, Process } from '../ob/index.ts';
import type { FileObject } from './file-object.ts';

export class OpenPacket implements ParseContext {
  readonly isOpen = true;
  /** IoStatus.Information of the create: FILE_OPENED, FILE_CREATED, … */
  information = 0;
  /** The file object that was opened, once the create succeeded. */
  fileObject: FileObject | null = null;
  /** Open the parent of the named file (SL_OPEN_TARGET_DIRECTORY), for rename and link. */
  openTargetDirectory = false;
  /** The full name the open started from, for a reparse after STATUS_VERIFY_REQUIRED. */
  originalName: string | null = null;
  /** How many times a STATUS_VERIFY_REQUIRED retry happened, to bound it. */
  verifyRetries = 0;

  constructor(
    readonly process: Process | null,
    readonly desiredAccess: number,
    readonly fileAttributes: number,
    readonly shareAccess: number,
    readonly createDisposition: number,
    readonly createOptions: number,
    /** The directory a relative name starts from; cleared when a reparse restarts from the root. */
    public relatedFileObject: FileObject | null,
    /** Internal opens (IoGetDeviceObjectPointer) come from kernel mode. */
    readonly kernelMode: boolean,
  ) {}
}
