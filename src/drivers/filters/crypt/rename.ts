/**
 * Renames of encrypted files. The keystream is keyed by the file's index number, and some file
 * systems change it on a rename (FAT's is the position of the directory entry; MemFS's never
 * changes). So a rename of a data file goes like this:
 * 1. before the rename, Crypt opens the file itself by its current name (FileNameInformation) for
 *    reading and writing, sharing everything. If that open fails (a handle that denies write
 *    sharing), the rename fails with its status and nothing has changed;
 * 2. the rename goes down; once it succeeded, Crypt asks the index number again;
 * 3. if it changed, Crypt reads the whole file through its own file object, decrypts it with the
 *    old index, encrypts it with the new one and writes it back, then moves the file's stream to
 *    the new index (all handles share it); its own file object is closed in every case.
 * If re-encrypting fails after the rename (the disk filled up), the rename stands and the
 * request's status becomes the failure, so the caller knows the file needs attention.
 */
import {
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_READ_DATA,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_WRITE_DATA,
} from '../../../base/file-codes.ts';
import {
  type FileInternalInfo,
  FileInternalInformation,
  type FileNameInfo,
  FileNameInformation,
} from '../../../base/information-classes.ts';
import { whenReady } from '../../../base/maybe-promise.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import { type DeviceObject, type FileObject, IoCreateFile, type Irp } from '../../../io/index.ts';
import { ObDereferenceObject } from '../../../ob/index.ts';
import { passDownThenPostProcess, queryInformationBelow, readBelow, writeBelow } from '../lib/index.ts';
import type { CryptCipher } from './cipher.ts';
import type { CryptStream, CryptVolume } from './stream.ts';

const FILE_INTERNAL_INFORMATION_SIZE = 8;
const NAME_QUERY_LENGTH = 4096;

/** Step 1: Crypt's own file object on the file, or the status that refuses the rename. */
export function openForRekey(
  realDevice: DeviceObject,
  lower: DeviceObject,
  fileObject: FileObject,
  done: (status: NTSTATUS, own: FileObject | null) => void,
): void {
  queryInformationBelow<FileNameInfo>(
    lower,
    fileObject,
    FileNameInformation,
    NAME_QUERY_LENGTH,
    (status, info) => {
      if (!NT_SUCCESS(status) || info === null || realDevice.deviceName === null) {
        done(NT_SUCCESS(status) ? STATUS_SUCCESS : status, null);
        return;
      }
      const opened = IoCreateFile(
        realDevice.system,
        null,
        {
          objectName: `${realDevice.deviceName}${info.fileName}`,
          desiredAccess: FILE_READ_DATA | FILE_WRITE_DATA,
          shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
          createDisposition: FILE_OPEN,
          createOptions: FILE_NON_DIRECTORY_FILE,
        },
        true,
      );
      whenReady(opened, (result) => done(result.status, result.fileObject));
    },
  );
}

/** Steps 2 and 3, as the rename's post-processing. */
export function renameWithRekey(
  cipher: CryptCipher,
  volume: CryptVolume,
  lower: DeviceObject,
  irp: Irp,
  fileObject: FileObject,
  stream: CryptStream,
  own: FileObject | null,
): NTSTATUS {
  return passDownThenPostProcess(lower, irp, (_irp, done) => {
    const finish = (status: NTSTATUS): void => {
      if (own !== null) ObDereferenceObject(own);
      if (!NT_SUCCESS(status)) irp.ioStatus.status = status;
      done();
    };
    if (!NT_SUCCESS(irp.ioStatus.status) || own === null) {
      finish(STATUS_SUCCESS);
      return;
    }
    queryInformationBelow<FileInternalInfo>(
      lower,
      fileObject,
      FileInternalInformation,
      FILE_INTERNAL_INFORMATION_SIZE,
      (status, info) => {
        if (!NT_SUCCESS(status) || info === null || info.indexNumber === stream.fileId) {
          finish(STATUS_SUCCESS);
          return;
        }
        rekey(cipher, volume, lower, own, stream, info.indexNumber, finish);
      },
    );
  });
}

function rekey(
  cipher: CryptCipher,
  volume: CryptVolume,
  lower: DeviceObject,
  own: FileObject,
  stream: CryptStream,
  newId: number,
  finish: (status: NTSTATUS) => void,
): void {
  const move = (): void => {
    volume.streams.delete(stream.fileId);
    stream.fileId = newId;
    volume.streams.set(newId, stream);
  };
  if (stream.size === 0) {
    move();
    finish(STATUS_SUCCESS);
    return;
  }
  const data = new Uint8Array(stream.size);
  readBelow(lower, own, 0, data, (readStatus, read) => {
    if (!NT_SUCCESS(readStatus)) {
      finish(readStatus);
      return;
    }
    const content = data.subarray(0, read);
    cipher.xorKeystream(volume.key, stream.fileId, 0, content);
    cipher.xorKeystream(volume.key, newId, 0, content);
    writeBelow(lower, own, 0, content, (writeStatus) => {
      if (NT_SUCCESS(writeStatus)) move();
      finish(writeStatus);
    });
  });
}
