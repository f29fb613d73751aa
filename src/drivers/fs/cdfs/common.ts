/**
 * Small pieces every CDFS dispatch routine uses: finding what a file object opened
 * (CdDecodeFileObject), and, under the driver's name, the rule that a dismounted volume refuses
 * everything but cleanup and close (checkVolumeMounted in src/io/fsrtl/mounted-volume.ts).
 *
 * The volume of a request is taken from the file object (its FCB's VCB, or the VCB itself for a
 * volume open), not from the device the IRP arrived at: a file object always belongs to the volume
 * it was opened on, even if its VPB was later reused for another mount.
 */
import type { FileObject } from '../../../io/index.ts';
import { Ccb, Fcb, Vcb } from './structures.ts';

export { checkVolumeMounted as checkMounted } from '../../../io/index.ts';

/** The volume a file object was opened on, or null when it is not a CDFS volume or file open. */
export function vcbOfOpen(fileObject: FileObject | null): Vcb | null {
  const context = fileObject?.fsContext;
  if (context instanceof Fcb) return context.vcb;
  if (context instanceof Vcb) return context;
  return null;
}

/** The FCB of a file or directory open, or null for a volume open (or a foreign file object). */
export function fcbOf(fileObject: FileObject | null): Fcb | null {
  const context = fileObject?.fsContext;
  return context instanceof Fcb ? context : null;
}

export function ccbOf(fileObject: FileObject | null): Ccb | null {
  const context = fileObject?.fsContext2;
  return context instanceof Ccb ? context : null;
}
