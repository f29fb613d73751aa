/**
 * Small pieces every FAT dispatch routine uses (FastFat's FatDecodeFileObject and friends): what a
 * file object opened, and, under the driver's name, the rule that a dismounted volume refuses
 * everything but cleanup and close (checkVolumeMounted in src/io/fsrtl/mounted-volume.ts). The
 * volume of a request is taken from the file object, not from the device the IRP arrived at: a
 * file object always belongs to the volume it was opened on.
 *
 * Also FAT's name rules beyond the FsRtl ones: a new name may not end with a space or a period
 * (Win32 strips them, and FAT could not store both `a` and `a.`), and its length is limited to
 * 255 UTF-16 units like every long name.
 */
import { type FileObject, isValidComponent } from '../../../io/index.ts';
import { Ccb, Fcb, Vcb } from './structures.ts';

export { checkVolumeMounted as checkMounted } from '../../../io/index.ts';

export function vcbOfOpen(fileObject: FileObject | null): Vcb | null {
  const context = fileObject?.fsContext;
  if (context instanceof Fcb) return context.vcb;
  if (context instanceof Vcb) return context;
  return null;
}

export function fcbOf(fileObject: FileObject | null): Fcb | null {
  const context = fileObject?.fsContext;
  return context instanceof Fcb ? context : null;
}

export function ccbOf(fileObject: FileObject | null): Ccb | null {
  const context = fileObject?.fsContext2;
  return context instanceof Ccb ? context : null;
}

/** A name a new FAT entry may take: a valid component that does not end with a space or a period. */
export function isCreatableName(name: string): boolean {
  if (!isValidComponent(name)) return false;
  const last = name.charCodeAt(name.length - 1);
  return last !== 0x20 && last !== 0x2e;
}
