/**
 * The disks and shares behind drive letters, and how they come and go: RAM disks (formatted as the
 * configuration says), image files (a disk per file, a volume per partition, or a CD-ROM), and
 * host directories (HostFS shares). A drive letter is a symbolic link in `\??`, as the mount
 * manager makes it: `\??\M:` → `\Device\RamDisk0`, `\Device\HarddiskVolume1`, `\Device\CdRom0`,
 * `\Device\HostFs\src`.
 *
 * Images are released (IoRemoveImageDisk: the file is flushed and closed once nothing uses it)
 * when their last letter goes; shares are withdrawn with their letter.
 */
import { realpathSync, statSync } from 'node:fs';
import { FILE_DEVICE_CD_ROM, FILE_READ_ONLY_DEVICE, STATUS_SUCCESS, statusName } from '../../base/index.ts';
import { fatFormat } from '../../drivers/fs/fat/index.ts';
import { memFsFormat } from '../../drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../drivers/storage/ramdisk/index.ts';
import type { DeviceObject, System } from '../../io/index.ts';
import type { VolumeSource } from '../control/index.ts';
import { HOSTFS_CONTROL_DEVICE_NAME, HostFsAddShare, HostFsRemoveShare } from '../hostfs/index.ts';
import { IoCreateImageDisk, IoRemoveImageDisk } from '../image-disk/index.ts';
import type { ImageConfig, RamDiskConfig, ShareConfig } from './config.ts';
import { fatOptions } from './config-validate.ts';
import { HostError } from './errors.ts';

/** A drive letter and what is behind it. */
export interface VolumeRecord {
  letter: string;
  /** What the letter links to. */
  target: string;
  /** The device with the VPB (RAM disk, partition, CD-ROM); HostFS's control device for a share. */
  device: DeviceObject;
  source: VolumeSource;
  hostPath: string | null;
  readOnly: boolean;
  /** For an image: its disk, released when the image's last letter goes. */
  disk: DeviceObject | null;
  /** For a share: its name. */
  share: string | null;
  /** The disk's size in bytes (RAM disk or image file), when there is one. */
  capacity: number | null;
  /** For an image: where the volume lies in the file (a partition's start and length, or the whole file). */
  extent?: { offset: number; length: number } | null;
  /** Why the disk itself is read-only, in words; null when it is writable. */
  readOnlyReason?: string | null;
}

/** An image file attached as a disk or CD-ROM, and its volumes (one per partition). */
export interface AttachedImage {
  path: string;
  disk: DeviceObject;
  readOnly: boolean;
  /** Why it is read-only, in words; null when writable. */
  readOnlyReason: string | null;
  volumes: Array<{ device: DeviceObject; target: string; offset: number; length: number | null }>;
}

/** Links letters to targets and remembers what is behind them. */
export class VolumeTable {
  private readonly records = new Map<string, VolumeRecord>();
  /** Attached images by disk, until released (their last letter went). */
  readonly images = new Map<DeviceObject, AttachedImage>();

  constructor(private readonly system: System) {}

  get(letter: string): VolumeRecord | undefined {
    return this.records.get(letter);
  }

  has(letter: string): boolean {
    return this.records.has(letter);
  }

  letters(): string[] {
    return [...this.records.keys()].sort();
  }

  values(): VolumeRecord[] {
    return this.letters().map((l) => this.records.get(l)!);
  }

  add(record: VolumeRecord): void {
    const status = this.system.ob.createSymbolicLink(`\\??\\${record.letter}`, record.target);
    if (status !== STATUS_SUCCESS)
      throw new HostError(`Linking ${record.letter} to ${record.target} failed with ${statusName(status)}.`);
    this.records.set(record.letter, record);
  }

  /**
   * Removes a letter; the image behind it is released when no other letter uses its disk, the
   * share behind it is withdrawn. Returns the letters that still hold the image (none when it
   * was released, or for anything but an image).
   */
  remove(letter: string): string[] {
    const record = this.records.get(letter);
    if (record === undefined) return [];
    this.system.ob.deleteSymbolicLink(`\\??\\${letter}`);
    this.records.delete(letter);
    if (record.share !== null) HostFsRemoveShare(this.system, record.share);
    if (record.disk === null) return [];
    const others = this.lettersOf(record.disk);
    if (others.length === 0) this.release(record.disk);
    return others;
  }

  /** The letters an image's volumes have now. */
  lettersOf(disk: DeviceObject): string[] {
    return this.values()
      .filter((r) => r.disk === disk)
      .map((r) => r.letter);
  }

  /** Releases an image's disk (the file is closed once nothing uses it). */
  release(disk: DeviceObject): void {
    this.images.delete(disk);
    IoRemoveImageDisk(disk);
  }

  /** The attached image whose file is `path`, if any. */
  imageAt(path: string): AttachedImage | null {
    const wanted = realPath(path);
    for (const image of this.images.values()) if (realPath(image.path) === wanted) return image;
    return null;
  }

  /** The first free letter from `start` on (D: upward by default); null past Z:. */
  freeLetter(start = 'D'): string | null {
    for (let code = start.charCodeAt(0); code <= 'Z'.charCodeAt(0); code++) {
      const letter = `${String.fromCharCode(code)}:`;
      if (!this.records.has(letter) && this.system.ob.lookupNoParse(`\\??\\${letter}`) === undefined)
        return letter;
    }
    return null;
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function imageSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

export function createRamDisk(system: System, table: VolumeTable, disk: RamDiskConfig): void {
  const format =
    disk.format === 'memfs'
      ? memFsFormat({ label: disk.label })
      : disk.format === 'none'
        ? undefined
        : fatFormat({ ...fatOptions(disk.format, disk.sectorSize), label: disk.label });
  const created = IoCreateRamDisk(system, {
    sizeBytes: disk.sizeBytes,
    sectorSize: disk.sectorSize,
    readOnly: disk.readOnly,
    ...(format !== undefined ? { format } : {}),
  });
  if (created.status !== STATUS_SUCCESS || created.deviceObject === null)
    throw new HostError(
      `Creating the RAM disk for ${disk.letter} failed with ${statusName(created.status)}.`,
    );
  table.add({
    letter: disk.letter,
    target: created.deviceObject.deviceName!,
    device: created.deviceObject,
    source: 'ram-disk',
    hostPath: null,
    readOnly: disk.readOnly,
    disk: null,
    share: null,
    capacity: disk.sizeBytes,
    readOnlyReason: disk.readOnly ? 'the RAM disk is configured read-only' : null,
  });
}

/**
 * Attaches an image file: a CD-ROM gets one letter; a disk gets one per partition (the first
 * takes `image.letter`, the others the next free ones after it). Returns the letters given.
 */
export function attachImage(system: System, table: VolumeTable, image: ImageConfig): string[] {
  const created = IoCreateImageDisk(system, {
    path: image.path,
    readOnly: image.readOnly,
    ...(image.mediaType !== null ? { mediaType: image.mediaType } : {}),
  });
  if (created.status !== STATUS_SUCCESS || created.deviceObject === null)
    throw new HostError(`Attaching the image ${image.path} failed with ${statusName(created.status)}.`);
  const disk = created.deviceObject;
  const readOnlyDevice = (disk.characteristics & FILE_READ_ONLY_DEVICE) !== 0;
  const attached: AttachedImage = {
    path: image.path,
    disk,
    readOnly: image.readOnly || readOnlyDevice,
    readOnlyReason: image.readOnly
      ? 'it was attached read-only'
      : disk.deviceType === FILE_DEVICE_CD_ROM
        ? 'CD-ROMs are read-only'
        : readOnlyDevice
          ? 'the image file cannot be opened for writing'
          : null,
    volumes:
      created.partitions === null
        ? [{ device: disk, target: disk.deviceName!, offset: 0, length: null }]
        : created.partitions.partitions.map((p) => ({
            device: p.deviceObject,
            target: p.volumeName,
            offset: p.startingOffset,
            length: p.partitionLength,
          })),
  };
  table.images.set(disk, attached);
  try {
    const letters = giveLetters(table, attached, image.letter);
    if (letters.length === 0) table.release(disk);
    return letters;
  } catch (error) {
    table.release(disk);
    throw error;
  }
}

/**
 * Gives a letter to every volume of an attached image that has none (all of them when it was just
 * attached; those dismounted since, when it is mounted again). The first takes `first` when given,
 * the others the next free letters after the one before. Returns the letters given; on failure
 * none stays.
 */
export function giveLetters(table: VolumeTable, image: AttachedImage, first: string | null): string[] {
  const letters: string[] = [];
  try {
    for (const volume of image.volumes) {
      if (table.values().some((r) => r.device === volume.device)) continue;
      const after = letters.length > 0 ? letters[letters.length - 1]! : null;
      const letter =
        after === null
          ? (first ?? table.freeLetter())
          : (table.freeLetter(String.fromCharCode(after.charCodeAt(0) + 1)) ?? table.freeLetter());
      if (letter === null) throw new HostError(`No drive letter is free for ${image.path}.`);
      table.add({
        letter,
        target: volume.target,
        device: volume.device,
        source: 'image',
        hostPath: image.path,
        readOnly: image.readOnly,
        disk: image.disk,
        share: null,
        capacity: volume.device.vpb !== null ? imageSize(image.path) : null,
        extent: { offset: volume.offset, length: volume.length ?? imageSize(image.path) ?? 0 },
        readOnlyReason: image.readOnlyReason,
      });
      letters.push(letter);
    }
  } catch (error) {
    for (const letter of letters) table.remove(letter);
    throw error;
  }
  return letters;
}

export function addShare(system: System, table: VolumeTable, share: ShareConfig): string | null {
  const status = HostFsAddShare(system, { name: share.name, path: share.path, readOnly: share.readOnly });
  if (status !== STATUS_SUCCESS)
    throw new HostError(`Sharing ${share.path} as ${share.name} failed with ${statusName(status)}.`);
  const letter = share.letter ?? table.freeLetter('H');
  if (letter === null) return null;
  const control = system.ob.lookupNoParse(HOSTFS_CONTROL_DEVICE_NAME) as DeviceObject;
  table.add({
    letter,
    target: `${HOSTFS_CONTROL_DEVICE_NAME}\\${share.name}`,
    device: control,
    source: 'share',
    hostPath: share.path,
    readOnly: share.readOnly,
    disk: null,
    share: share.name,
    capacity: null,
    readOnlyReason: share.readOnly ? 'the share is configured read-only' : null,
  });
  return letter;
}
