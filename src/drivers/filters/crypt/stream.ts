/**
 * Crypt's per-file state (a stream context, in minifilter terms): the file's index number, which
 * keys the keystream, and its size as Crypt last saw it, which tells a write past the end how much
 * gap the file system would zero-fill.
 *
 * Invariants:
 * - one CryptStream per file per volume, shared by every file object open on it (keyed by index
 *   number), so a size change through one handle is seen by the others;
 * - a file object is looked up once: the first read, write or size change on it asks the file
 *   system below for FileInternalInformation and FileStandardInformation, refreshes the shared
 *   size from the answer (the file system is the authority; an index number may be reused after
 *   a delete), and remembers the result for that file object;
 * - directories and volume opens get null: their data is never transformed;
 * - a file the file system cannot describe makes the request fail with the query's status: Crypt
 *   never lets data through in the clear because it could not identify the file.
 */
import {
  FILE_STANDARD_INFORMATION_SIZE,
  type FileInternalInfo,
  FileInternalInformation,
  type FileStandardInfo,
  FileStandardInformation,
} from '../../../base/information-classes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import type { DeviceObject, FileObject } from '../../../io/index.ts';
import { queryInformationBelow } from '../lib/index.ts';
import type { CryptKey } from './cipher.ts';

const FILE_INTERNAL_INFORMATION_SIZE = 8;

export interface CryptStream {
  /** The index number that keys the keystream; changes only when a rename changes it (rename.ts). */
  fileId: number;
  size: number;
}

/** Per-volume state: the key, and the streams of the files seen so far. */
export interface CryptVolume {
  readonly key: CryptKey;
  readonly streams: Map<number, CryptStream>;
  readonly byFileObject: WeakMap<FileObject, CryptStream | null>;
}

/** Finds (or learns) the stream of a file object; `done` runs now or when the queries complete. */
export function lookupStream(
  volume: CryptVolume,
  lower: DeviceObject,
  fileObject: FileObject,
  done: (status: NTSTATUS, stream: CryptStream | null) => void,
): void {
  const known = volume.byFileObject.get(fileObject);
  if (known !== undefined) {
    done(STATUS_SUCCESS, known);
    return;
  }
  if (fileObject.fileName === '' && fileObject.relatedFileObject === null) {
    volume.byFileObject.set(fileObject, null);
    done(STATUS_SUCCESS, null);
    return;
  }
  queryInformationBelow<FileStandardInfo>(
    lower,
    fileObject,
    FileStandardInformation,
    FILE_STANDARD_INFORMATION_SIZE,
    (standardStatus, standard) => {
      if (!NT_SUCCESS(standardStatus) || standard === null) {
        // Unknown files are never passed through in the clear: the request fails instead.
        done(NT_SUCCESS(standardStatus) ? STATUS_INVALID_DEVICE_REQUEST : standardStatus, null);
        return;
      }
      if (standard.directory) {
        volume.byFileObject.set(fileObject, null);
        done(STATUS_SUCCESS, null);
        return;
      }
      queryInformationBelow<FileInternalInfo>(
        lower,
        fileObject,
        FileInternalInformation,
        FILE_INTERNAL_INFORMATION_SIZE,
        (internalStatus, internal) => {
          if (!NT_SUCCESS(internalStatus) || internal === null) {
            done(NT_SUCCESS(internalStatus) ? STATUS_INVALID_DEVICE_REQUEST : internalStatus, null);
            return;
          }
          let stream = volume.streams.get(internal.indexNumber);
          if (stream === undefined) {
            stream = { fileId: internal.indexNumber, size: standard.endOfFile };
            volume.streams.set(internal.indexNumber, stream);
          } else {
            stream.size = standard.endOfFile;
          }
          volume.byFileObject.set(fileObject, stream);
          done(STATUS_SUCCESS, stream);
        },
      );
    },
  );
}
