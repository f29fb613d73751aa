/**
 * Why a volume is read-only, in words, for `volumes` and `mount-image`: its disk (a CD-ROM, an
 * image attached read-only or whose file cannot be written, a RAM disk or share configured so), or
 * its file system's choice, which FileFsAttributeInformation reports as FILE_READ_ONLY_VOLUME. FAT
 * makes that choice for an image shorter than the volume its boot sector describes (a truncated
 * file): the host reads the boot sector from the image file to say so with the sizes, since a
 * volume that silently refuses writes sends people looking in the wrong place.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { NtQueryVolumeInformationFile } from '../../api/index.ts';
import {
  FILE_READ_ATTRIBUTES,
  FILE_READ_ONLY_VOLUME,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  NT_SUCCESS,
  SYNCHRONIZE,
} from '../../base/index.ts';
import { readBootSector } from '../../drivers/fs/fat/index.ts';
import { parseStrataPath } from '../control/index.ts';
import type { StrataHost, VolumeRecord } from './host.ts';

/** The reason, or null when the volume takes writes. */
export async function readOnlyReason(
  host: StrataHost,
  record: VolumeRecord,
  mounted: boolean,
): Promise<string | null> {
  if (record.readOnly) return record.readOnlyReason ?? 'its disk is read-only';
  if (!mounted || record.share !== null) return null;
  let attributes: FileFsAttributeInfo | null = null;
  try {
    attributes = await host.files.withFile(
      parseStrataPath(`${record.letter}\\`)!,
      { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE },
      'opening',
      async (handle) => {
        const result = await NtQueryVolumeInformationFile<FileFsAttributeInfo>(
          host.process,
          handle,
          FileFsAttributeInformation,
        );
        return NT_SUCCESS(result.status) ? result.info : null;
      },
    );
  } catch {
    return null;
  }
  if (attributes === null || (attributes.fileSystemAttributes & FILE_READ_ONLY_VOLUME) === 0) return null;
  const name = attributes.fileSystemName;
  const truncated =
    name.startsWith('FAT') && record.hostPath !== null && record.extent
      ? truncation(record.hostPath, record.extent)
      : null;
  if (truncated !== null)
    return `the image is truncated: its boot sector describes ${truncated.described} bytes, the ${record.extent!.offset > 0 ? 'partition' : 'file'} holds ${truncated.held}, so ${name} mounted it read-only`;
  return `${name} mounted it read-only although its disk takes writes`;
}

/** The sizes when the extent's FAT boot sector describes more than the extent holds, else null. */
function truncation(
  path: string,
  extent: { offset: number; length: number },
): { described: number; held: number } | null {
  const sector = Buffer.alloc(512);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    if (readSync(fd, sector, 0, 512, extent.offset) < 512) return null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
  const boot = readBootSector(sector);
  const described = boot.bytesPerSector * (boot.totalSectors16 || boot.totalSectors32);
  return described > extent.length ? { described, held: extent.length } : null;
}
