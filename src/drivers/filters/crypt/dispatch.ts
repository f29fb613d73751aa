/**
 * Crypt's dispatch routines on volume devices: reads, writes and size changes of data files.
 *
 * - IRP_MJ_WRITE: the caller's buffer is never changed; a ciphertext copy goes down in its place
 *   (and the caller's buffer is put back on the IRP at completion). An append (offset -1, or a
 *   handle with append but not write access) is turned into an explicit offset at the known end of
 *   file, because the keystream depends on the offset. A write that starts past the end carries
 *   the gap too, as encrypted zeros, so the gap reads back as zeros and not as the decryption of
 *   the file system's plaintext zero fill; the caller is told only its own length.
 * - IRP_MJ_READ: passed down unchanged; at completion the bytes transferred are decrypted in the
 *   caller's buffer at the offset read.
 * - IRP_MJ_SET_INFORMATION: extending FileEndOfFileInformation first writes encrypted zeros from the
 *   old end to the new one (same reason as the gap), then passes the request down; shrinking end of
 *   file or allocation updates the known size once the file system agrees; a rename re-encrypts the
 *   file if it changed the index number (rename.ts). Other classes pass.
 * - IRP_MJ_CREATE that overwrote or superseded a file: the file is empty now, so the size every
 *   handle on it shares is looked up again (else a write past the old end through another handle
 *   would leave the file system's plaintext zero fill in the gap). Other creates pass.
 * Directory and volume opens, and everything else, pass through untouched: directory contents are
 * never encrypted. The file's stream is looked up first (stream.ts); if that needs the file system
 * and it pends, the request pends too.
 */
import {
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_OVERWRITTEN,
  FILE_SUPERSEDE,
  FILE_SUPERSEDED,
  FILE_WRITE_DATA,
} from '../../../base/file-codes.ts';
import {
  type FileAllocationInfo,
  FileAllocationInformation,
  type FileEndOfFileInfo,
  FileEndOfFileInformation,
  FileRenameInformation,
} from '../../../base/information-classes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_PENDING, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type CreateParameters,
  completeRequest,
  createDisposition,
  type DeviceObject,
  type FileObject,
  IoCallDriver,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoGetNextIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
  type ReadWriteParameters,
  type SetFileParameters,
} from '../../../io/index.ts';
import {
  type FilterDeviceExtension,
  legacyFilterState,
  passDownThenPostProcess,
  passThrough,
  writeBelow,
} from '../lib/index.ts';
import type { CryptCipher } from './cipher.ts';
import { openForRekey, renameWithRekey } from './rename.ts';
import { type CryptStream, type CryptVolume, lookupStream } from './stream.ts';

/**
 * Runs `prepare` (which calls `ready(status)` once, now or later), then `send` if it succeeded.
 * When `ready` comes later the IRP has been marked pending and its status is returned as
 * STATUS_PENDING; a failure then completes the IRP.
 */
function afterPreparation(
  irp: Irp,
  prepare: (ready: (status: NTSTATUS) => void) => void,
  send: () => NTSTATUS,
): NTSTATUS {
  let inDispatch = true;
  let result: NTSTATUS | null = null;
  prepare((status) => {
    const outcome = NT_SUCCESS(status) ? send : () => completeRequest(irp, status);
    if (inDispatch) result = outcome();
    else outcome();
  });
  inDispatch = false;
  if (result !== null) return result;
  IoMarkIrpPending(irp);
  return STATUS_PENDING;
}

function propagatePending(_device: DeviceObject | null, irp: Irp): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  return STATUS_SUCCESS;
}

/** Passes the IRP down with a copied location (safe whether or not the dispatch already returned). */
function passDown(lower: DeviceObject, irp: Irp): NTSTATUS {
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, propagatePending, null, true, true, true);
  return IoCallDriver(lower, irp);
}

interface CryptContext {
  cipher: CryptCipher;
}

function volumeOf(device: DeviceObject): { volume: CryptVolume; lower: DeviceObject; cipher: CryptCipher } {
  const extension = device.deviceExtension as FilterDeviceExtension<CryptVolume>;
  const { cipher } = legacyFilterState<CryptContext>(device.driverObject).filter;
  return { volume: extension.volume!, lower: extension.lower!, cipher };
}

/** Looks the file object's stream up, then runs `withStream` (null: not a data file). */
function withStream(
  device: DeviceObject,
  irp: Irp,
  withStreamOf: (stream: CryptStream | null) => NTSTATUS,
): NTSTATUS {
  const { volume, lower } = volumeOf(device);
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  if (fileObject === null) return passDown(lower, irp);
  let found: CryptStream | null = null;
  return afterPreparation(
    irp,
    (ready) =>
      lookupStream(volume, lower, fileObject, (status, stream) => {
        found = stream;
        ready(status);
      }),
    () => withStreamOf(found),
  );
}

interface ReadContext {
  cipher: CryptCipher;
  volume: CryptVolume;
  stream: CryptStream;
  offset: number;
}

function readCompletion(_device: DeviceObject | null, irp: Irp, context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const { cipher, volume, stream, offset } = context as ReadContext;
  const count = irp.ioStatus.information;
  if (NT_SUCCESS(irp.ioStatus.status) && count > 0 && irp.userBuffer !== null) {
    cipher.xorKeystream(volume.key, stream.fileId, offset, irp.userBuffer.subarray(0, count));
  }
  return STATUS_SUCCESS;
}

export function cryptRead(device: DeviceObject, irp: Irp): NTSTATUS {
  return withStream(device, irp, (stream) => {
    const { volume, lower, cipher } = volumeOf(device);
    if (stream === null) return passDown(lower, irp);
    const { byteOffset } = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
    IoCopyCurrentIrpStackLocationToNext(irp);
    const context: ReadContext = { cipher, volume, stream, offset: byteOffset };
    IoSetCompletionRoutine(irp, readCompletion, context, true, true, true);
    return IoCallDriver(lower, irp);
  });
}

interface WriteContext {
  stream: CryptStream;
  callerBuffer: Uint8Array | null;
  start: number;
  gap: number;
}

function writeCompletion(_device: DeviceObject | null, irp: Irp, context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const { stream, callerBuffer, start, gap } = context as WriteContext;
  irp.userBuffer = callerBuffer;
  if (NT_SUCCESS(irp.ioStatus.status)) {
    const written = irp.ioStatus.information;
    stream.size = Math.max(stream.size, start + written);
    irp.ioStatus.information = Math.max(0, written - gap);
  }
  return STATUS_SUCCESS;
}

function isAppend(fileObject: FileObject, byteOffset: number): boolean {
  return byteOffset === -1 || (fileObject.grantedAccess & FILE_WRITE_DATA) === 0;
}

export function cryptWrite(device: DeviceObject, irp: Irp): NTSTATUS {
  return withStream(device, irp, (stream) => {
    const { volume, lower, cipher } = volumeOf(device);
    const location = IoGetCurrentIrpStackLocation(irp);
    const parameters = location.parameters as ReadWriteParameters;
    const callerBuffer = irp.userBuffer;
    if (
      stream === null ||
      callerBuffer === null ||
      !(parameters.length > 0) ||
      callerBuffer.length < parameters.length
    ) {
      // Nothing to encrypt (or a request the file system will refuse on its own).
      return passDown(lower, irp);
    }
    const offset = isAppend(location.fileObject!, parameters.byteOffset)
      ? stream.size
      : parameters.byteOffset;
    if (!Number.isSafeInteger(offset) || offset < 0) return passDown(lower, irp);
    const gap = Math.max(0, offset - stream.size);
    const start = offset - gap;
    const ciphertext = new Uint8Array(gap + parameters.length);
    ciphertext.set(callerBuffer.subarray(0, parameters.length), gap);
    cipher.xorKeystream(volume.key, stream.fileId, start, ciphertext);
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoGetNextIrpStackLocation(irp).parameters = {
      length: ciphertext.length,
      byteOffset: start,
      key: parameters.key,
    } satisfies ReadWriteParameters;
    irp.userBuffer = ciphertext;
    const context: WriteContext = { stream, callerBuffer, start, gap };
    IoSetCompletionRoutine(irp, writeCompletion, context, true, true, true);
    return IoCallDriver(lower, irp);
  });
}

interface SizeContext {
  stream: CryptStream;
  newSize: number;
}

function sizeCompletion(_device: DeviceObject | null, irp: Irp, context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const { stream, newSize } = context as SizeContext;
  if (NT_SUCCESS(irp.ioStatus.status)) stream.size = newSize;
  return STATUS_SUCCESS;
}

export function cryptSetInformation(device: DeviceObject, irp: Irp): NTSTATUS {
  const { fileInformationClass } = IoGetCurrentIrpStackLocation(irp).parameters as SetFileParameters;
  if (fileInformationClass === FileRenameInformation) return cryptRename(device, irp);
  if (fileInformationClass !== FileEndOfFileInformation && fileInformationClass !== FileAllocationInformation)
    return passDown(volumeOf(device).lower, irp);
  return withStream(device, irp, (stream) => {
    const { volume, lower, cipher } = volumeOf(device);
    if (stream === null) return passDown(lower, irp);
    const record = irp.systemBuffer as Partial<FileEndOfFileInfo & FileAllocationInfo> | null;
    const requested =
      fileInformationClass === FileEndOfFileInformation ? record?.endOfFile : record?.allocationSize;
    if (typeof requested !== 'number' || !Number.isSafeInteger(requested) || requested < 0)
      return passDown(lower, irp);
    const sendSetInformation = (): NTSTATUS => {
      // Allocation never extends the end of file; end of file becomes exactly what was asked.
      const newSize =
        fileInformationClass === FileEndOfFileInformation ? requested : Math.min(stream.size, requested);
      IoCopyCurrentIrpStackLocationToNext(irp);
      IoSetCompletionRoutine(
        irp,
        sizeCompletion,
        { stream, newSize } satisfies SizeContext,
        true,
        true,
        true,
      );
      return IoCallDriver(lower, irp);
    };
    if (fileInformationClass !== FileEndOfFileInformation || requested <= stream.size)
      return sendSetInformation();
    // Extending: fill the new range with encrypted zeros first, through the same file object.
    const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject!;
    const zeros = new Uint8Array(requested - stream.size);
    cipher.xorKeystream(volume.key, stream.fileId, stream.size, zeros);
    return afterPreparation(
      irp,
      (ready) =>
        writeBelow(lower, fileObject, stream.size, zeros, (status, written) => {
          if (NT_SUCCESS(status)) stream.size += written;
          ready(status);
        }),
      sendSetInformation,
    );
  });
}

export function cryptCreate(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const disposition = createDisposition((location.parameters as CreateParameters).options);
  if (disposition !== FILE_SUPERSEDE && disposition !== FILE_OVERWRITE && disposition !== FILE_OVERWRITE_IF)
    return passThrough(device, irp);
  const { volume, lower } = volumeOf(device);
  const fileObject = location.fileObject!;
  return passDownThenPostProcess(lower, irp, (_irp, done) => {
    const { status, information } = irp.ioStatus;
    if (!NT_SUCCESS(status) || (information !== FILE_OVERWRITTEN && information !== FILE_SUPERSEDED)) {
      done();
      return;
    }
    // The lookup refreshes the shared stream's size from the file system's answer (stream.ts).
    lookupStream(volume, lower, fileObject, () => done());
  });
}

export type { CryptContext };

/** A rename that may change the file's index number: re-encrypt under the new one (rename.ts). */
function cryptRename(device: DeviceObject, irp: Irp): NTSTATUS {
  return withStream(device, irp, (stream) => {
    const { volume, lower, cipher } = volumeOf(device);
    const realDevice = (device.deviceExtension as FilterDeviceExtension<CryptVolume>).realDevice;
    if (stream === null || realDevice === null) return passDown(lower, irp);
    const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject!;
    let own: FileObject | null = null;
    return afterPreparation(
      irp,
      (ready) =>
        openForRekey(realDevice, lower, fileObject, (status, opened) => {
          own = opened;
          ready(status);
        }),
      () => renameWithRekey(cipher, volume, lower, irp, fileObject, stream, own),
    );
  });
}
