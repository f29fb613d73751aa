/**
 * Symbolic names for NTSTATUS values, for traces and error messages.
 * The table is derived once from the constants themselves, so it cannot drift from them.
 */

import type { NTSTATUS } from './ntstatus.ts';
import * as statuses from './ntstatus.ts';

const STATUS_NAMES: ReadonlyMap<number, string> = new Map(
  (Object.entries(statuses) as Array<[string, unknown]>)
    .filter(
      (entry): entry is [string, number] => entry[0].startsWith('STATUS_') && typeof entry[1] === 'number',
    )
    .map(([name, value]) => [value >>> 0, name] as const),
);

/** The symbolic name of a status (`STATUS_ACCESS_DENIED`), or its hex form when unknown. */
export function statusName(status: NTSTATUS): string {
  return STATUS_NAMES.get(status >>> 0) ?? `0x${(status >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
