/**
 * Fitting a variable-length name into the caller's information buffer, the rule every NT file
 * system applies to FileNameInformation, FileAllInformation, volume labels and file system names:
 * the name is cut to the whole UTF-16 units that fit after the `fixed` bytes of the structure, and
 * a cut name makes the request STATUS_BUFFER_OVERFLOW (a warning: the record is still returned).
 */

export interface FittedName {
  name: string;
  /** True when the name was cut. */
  overflow: boolean;
}

export function fitNameInBuffer(name: string, length: number, fixed: number): FittedName {
  const room = Math.max(0, Math.floor((length - fixed) / 2));
  return room >= name.length ? { name, overflow: false } : { name: name.slice(0, room), overflow: true };
}
