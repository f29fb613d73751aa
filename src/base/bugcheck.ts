/**
 * KeBugCheckEx for a user-mode kernel.
 *
 * Windows stops the machine when a driver breaks a rule the kernel cannot survive. Strata throws a
 * BugCheckError at the point of the violation instead, before any state is changed, so the caller
 * sees which rule broke and the rest of the system keeps running.
 */

export const MULTIPLE_IRP_COMPLETE_REQUESTS = 0x44;
export const NO_MORE_IRP_STACK_LOCATIONS = 0x35;
export const INVALID_DRIVER_HANDLING_EXCEPTION = 0xbc;
export const DRIVER_VERIFIER_DETECTED_VIOLATION = 0xc4;
export const DRIVER_VERIFIER_IOMANAGER_VIOLATION = 0xc9;
export const IRQL_NOT_LESS_OR_EQUAL = 0x0a;
export const REFERENCE_BY_POINTER = 0x18;
export const INACCESSIBLE_BOOT_DEVICE = 0x7b;
export const DRIVER_RETURNED_STATUS_REPARSE_FOR_VOLUME_OPEN = 0xdb;

const BUGCHECK_NAMES: Readonly<Record<number, string>> = {
  [MULTIPLE_IRP_COMPLETE_REQUESTS]: 'MULTIPLE_IRP_COMPLETE_REQUESTS',
  [NO_MORE_IRP_STACK_LOCATIONS]: 'NO_MORE_IRP_STACK_LOCATIONS',
  [INVALID_DRIVER_HANDLING_EXCEPTION]: 'INVALID_DRIVER_HANDLING_EXCEPTION',
  [DRIVER_VERIFIER_DETECTED_VIOLATION]: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
  [DRIVER_VERIFIER_IOMANAGER_VIOLATION]: 'DRIVER_VERIFIER_IOMANAGER_VIOLATION',
  [IRQL_NOT_LESS_OR_EQUAL]: 'IRQL_NOT_LESS_OR_EQUAL',
  [REFERENCE_BY_POINTER]: 'REFERENCE_BY_POINTER',
  [INACCESSIBLE_BOOT_DEVICE]: 'INACCESSIBLE_BOOT_DEVICE',
};

export class BugCheckError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly parameters: readonly unknown[];
  constructor(code: number, message: string, parameters: readonly unknown[] = []) {
    const codeName = BUGCHECK_NAMES[code] ?? `0x${code.toString(16)}`;
    super(`Bug check ${codeName}: ${message}`);
    this.name = 'BugCheckError';
    this.code = code;
    this.codeName = codeName;
    this.parameters = parameters;
  }
}

/** Raises a bug check; never returns. */
export function KeBugCheckEx(code: number, message: string, ...parameters: unknown[]): never {
  throw new BugCheckError(code, message, parameters);
}
