/**
 * The formats Fs_Rec stands in for, and the recognizer control devices of each.
 *
 * A format whose real driver is not loaded gets one control device per media type it lives on,
 * named and typed as Windows names them: FAT has `\FileSystem\FatDiskRecognizer` (disk queue) and
 * `\FileSystem\FatCdRomRecognizer` (CD-ROM queue), linked so that loading the driver through either
 * removes both; CDFS has `\FileSystem\CdfsRecognizer` (CD-ROM queue). ReactOS names the FAT disk one
 * `\FileSystem\FatRecognizer`. The real drivers are loaded by service name (ZwLoadDriver of
 * `…\Services\Fat`, `…\Services\Cdfs`), from images registered with IoRegisterDriverImage.
 */
import { FILE_DEVICE_CD_ROM_FILE_SYSTEM, FILE_DEVICE_DISK_FILE_SYSTEM } from '../../../base/device-codes.ts';
import type { NTSTATUS } from '../../../base/ntstatus.ts';
import type { DeviceObject } from '../../../io/index.ts';
import { recognizeIso9660 } from './cdfs.ts';
import { recognizeFat } from './fat.ts';

export interface RecognizedFormat {
  /** The real driver's service name, loaded on IRP_MN_LOAD_FILE_SYSTEM. */
  readonly serviceName: string;
  /** The recognizer control devices: name and FILE_DEVICE_*_FILE_SYSTEM type. */
  readonly devices: ReadonlyArray<readonly [name: string, deviceType: number]>;
  /** Reads the volume through `storage` and answers STATUS_FS_DRIVER_REQUIRED or STATUS_UNRECOGNIZED_VOLUME. */
  readonly recognize: (storage: DeviceObject, done: (status: NTSTATUS) => void) => void;
}

/** In DriverEntry order (ReactOS registers CDFS first, then FAT). */
export const RECOGNIZED_FORMATS: readonly RecognizedFormat[] = [
  {
    serviceName: 'Cdfs',
    devices: [['\\FileSystem\\CdfsRecognizer', FILE_DEVICE_CD_ROM_FILE_SYSTEM]],
    recognize: recognizeIso9660,
  },
  {
    serviceName: 'Fat',
    devices: [
      ['\\FileSystem\\FatDiskRecognizer', FILE_DEVICE_DISK_FILE_SYSTEM],
      ['\\FileSystem\\FatCdRomRecognizer', FILE_DEVICE_CD_ROM_FILE_SYSTEM],
    ],
    recognize: recognizeFat,
  },
];
