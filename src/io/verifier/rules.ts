/**
 * The driver verifier's rules and the record of one violation.
 *
 * Each rule names the reference section it comes from (reference/nt-fs-semantics.md). A violation
 * always names the driver that broke the rule (its object name, `\FileSystem\Spy`), so a report
 * reads like Driver Verifier's bug check parameters: which rule, which driver, which IRP or device.
 */

export const VERIFIER_RULES = {
  'irp-completed-twice': {
    section: '§6.2',
    text: 'IoCompleteRequest was called on an IRP that was already completed.',
  },
  'completed-with-pending': {
    section: '§6.2',
    text: 'An IRP was completed with IoStatus.Status == STATUS_PENDING.',
  },
  'pending-not-marked': {
    section: '§6.2',
    text: 'A dispatch routine returned STATUS_PENDING without marking the IRP pending (IoMarkIrpPending).',
  },
  'marked-pending-not-returned': {
    section: '§6.2',
    text: 'A dispatch routine marked the IRP pending (or let a lower driver mark its shared location) but returned another status.',
  },
  'irp-touched-after-pass-down': {
    section: '§6.1',
    text: 'A dispatch routine changed the IRP after passing it down with IoCallDriver without a completion routine.',
  },
  'filter-registered-file-system': {
    section: '§3.1',
    text: 'A filter called IoRegisterFileSystem; only file systems may.',
  },
  'named-filter-device': {
    section: '§3.2',
    text: 'A filter attached a named device to a stack; only control devices may be named.',
  },
  'unnamed-file-system-control-device': {
    section: '§3.2',
    text: 'A file system registered a control device without a name.',
  },
  'device-left-initializing': {
    section: '§3.3',
    text: 'A device was attached to a stack and DO_DEVICE_INITIALIZING was left set, so nothing can attach above it.',
  },
  'unload-with-attached-devices': {
    section: '§3.4',
    text: 'A driver unloaded while some of its devices were still attached to stacks.',
  },
  'unload-with-notifications': {
    section: '§2.6',
    text: 'A driver unloaded with a file system notification routine still registered.',
  },
  'leaked-file-object': {
    section: '§4.3',
    text: 'A file object a driver opened (IoGetDeviceObjectPointer, IoCreateFile) was never dereferenced.',
  },
  'leaked-device-reference': {
    section: '§4.3',
    text: 'A referenced device pointer a driver obtained (IoGetAttachedDeviceReference, IoEnumerateDeviceObjectList, …) was never dereferenced.',
  },
} as const;

export type VerifierRule = keyof typeof VERIFIER_RULES;

export interface VerifierViolation {
  /** Order of detection, from 1. */
  sequence: number;
  rule: VerifierRule;
  /** The reference section of the rule. */
  section: string;
  /** The object name of the driver that broke the rule (`\FileSystem\Spy`). */
  driver: string;
  /** What happened, in a sentence naming the device or IRP involved. */
  message: string;
  /** `IRP_MJ_WRITE` (or `IRP_MJ_FILE_SYSTEM_CONTROL/1`) when an IRP was involved. */
  irp: string | null;
}

/** One line per violation: `[§6.2 pending-not-marked] \FileSystem\Bad: …`. */
export function formatViolation(violation: VerifierViolation): string {
  return `[${violation.section} ${violation.rule}] ${violation.driver}: ${violation.message}`;
}
