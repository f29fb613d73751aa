/**
 * CDFS test fixtures: ISO images made by the real tools from a source tree in a temporary
 * directory, mounted through Strata on a read-only CD-ROM RAM disk linked as D:, with the shared
 * harness (test/support/fs-harness.ts) over it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystem } from '../../../../src/api/index.ts';
import { FILE_DEVICE_CD_ROM, FILE_GENERIC_READ, STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { type CdfsOptions, cdfsDriver, cdfsDriverWith } from '../../../../src/drivers/fs/cdfs/index.ts';
import { IoCreateRamDisk, type RamDiskOptions } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { type DeviceObject, IoLoadDriver, type System } from '../../../../src/io/index.ts';
import type { Process } from '../../../../src/ob/index.ts';
import { fsHarness } from '../../../support/fs-harness.ts';

/** A file in a source tree: text or bytes, or a directory (null), or a link ({ link }). */
export type TreeSpec = Record<
  string,
  string | Uint8Array | null | { link: string } | { mode: number; data: string }
>;

export function tempDir(prefix = 'strata-cdfs-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a source tree under `root` (keys are relative paths with `/`). */
export function writeTree(root: string, spec: TreeSpec): void {
  for (const [relative, content] of Object.entries(spec)) {
    const target = path.join(root, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (content === null) fs.mkdirSync(target, { recursive: true });
    else if (typeof content === 'string' || content instanceof Uint8Array) fs.writeFileSync(target, content);
    else if ('link' in content) fs.symlinkSync(content.link, target);
    else {
      fs.writeFileSync(target, content.data);
      fs.chmodSync(target, content.mode);
    }
  }
}

export type IsoTool = 'genisoimage' | 'xorriso';

/** Makes an ISO image of `source` with the given tool and mkisofs-style flags; returns its bytes. */
export function makeIso(tool: IsoTool, source: string, flags: string[], output: string): Uint8Array {
  const args =
    tool === 'xorriso'
      ? ['-as', 'mkisofs', '-quiet', '-o', output, ...flags, source]
      : ['-quiet', '-o', output, ...flags, source];
  execFileSync(tool === 'xorriso' ? 'xorriso' : 'genisoimage', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Uint8Array(fs.readFileSync(output));
}

export interface CdOptions extends Omit<RamDiskOptions, 'media' | 'format'> {
  cdfs?: CdfsOptions;
  /** The drive letter linked to the disc (D). */
  driveLetter?: string;
}

/** A booted system with CDFS and the image on a read-only CD-ROM RAM disk linked as D: (or the letter given). */
export function cdVolume(image: Uint8Array, options: CdOptions = {}) {
  const system: System = createSystem({ clock: () => 1_000_000 });
  const process: Process = system.createProcess('test.exe');
  const { cdfs, driveLetter, ...disk } = options;
  IoLoadDriver(system, cdfs === undefined ? cdfsDriver : cdfsDriverWith(cdfs));
  const media = image.length % 2048 === 0 ? image : padTo(image, 2048);
  const created = IoCreateRamDisk(system, {
    media,
    sectorSize: 2048,
    deviceType: FILE_DEVICE_CD_ROM,
    readOnly: true,
    ...disk,
  });
  assert.equal(created.status, STATUS_SUCCESS);
  const device: DeviceObject = created.deviceObject!;
  const drive = `\\??\\${driveLetter ?? 'D'}:`;
  system.ob.createSymbolicLink(drive, device.deviceName!);
  return { ...services(system, process, drive, device), device, media };
}

function padTo(bytes: Uint8Array, multiple: number): Uint8Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / multiple) * multiple);
  padded.set(bytes);
  return padded;
}

/** The harness (test/support/fs-harness.ts) for a CDFS volume reachable as `drive`; opens ask for read. */
export function services(
  system: System,
  process: Process,
  drive: string,
  device: DeviceObject | null = null,
) {
  return fsHarness(system, process, { drive, device, defaultAccess: FILE_GENERIC_READ });
}

/** The tree under a directory of the volume: relative path → 'dir' or the file's bytes. */
export function readBackTree(volume: ReturnType<typeof cdVolume>, dir = ''): Map<string, 'dir' | Uint8Array> {
  const out = new Map<string, 'dir' | Uint8Array>();
  const walk = (relative: string, depth: number): void => {
    assert.ok(depth < 64, 'tree too deep');
    for (const entry of volume.listEntries(relative === '' ? volume.root : relative)) {
      if (entry.fileName === '.' || entry.fileName === '..') continue;
      const child = relative === '' ? entry.fileName : `${relative}\\${entry.fileName}`;
      const key = child.replaceAll('\\', '/');
      if ((entry.fileAttributes & 0x10) !== 0) {
        out.set(key, 'dir');
        walk(child, depth + 1);
      } else {
        out.set(key, volume.readAll(child));
      }
    }
  };
  walk(dir, 0);
  return out;
}

/** The tree under a host directory, as readBackTree shows a volume (links followed, as a reader sees them). */
export function hostTree(root: string): Map<string, 'dir' | Uint8Array> {
  const out = new Map<string, 'dir' | Uint8Array>();
  const walk = (relative: string): void => {
    for (const name of fs.readdirSync(path.join(root, relative))) {
      const child = relative === '' ? name : `${relative}/${name}`;
      const full = path.join(root, child);
      const stat = fs.lstatSync(full);
      if (stat.isDirectory()) {
        out.set(child, 'dir');
        walk(child);
      } else if (stat.isFile()) {
        out.set(child, new Uint8Array(fs.readFileSync(full)));
      }
    }
  };
  walk('');
  return out;
}

/** An ISO image of a tree spec, made in a temporary directory that is removed afterwards. */
export function buildIso(
  spec: TreeSpec,
  tool: IsoTool = 'genisoimage',
  flags: string[] = ['-R', '-J'],
): Uint8Array {
  const dir = tempDir();
  try {
    const source = path.join(dir, 'source');
    fs.mkdirSync(source);
    writeTree(source, spec);
    const charset = tool === 'genisoimage' ? ['-input-charset', 'utf-8'] : [];
    return makeIso(tool, source, [...charset, ...flags], path.join(dir, 'image.iso'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first supplementary descriptor with a Joliet escape sequence, and the primary descriptor. */
export function descriptorsOf(image: Uint8Array): { primary: Uint8Array; joliet: Uint8Array | null } {
  let primary: Uint8Array | null = null;
  let joliet: Uint8Array | null = null;
  for (let sector = 16; sector < 64; sector++) {
    const bytes = image.subarray(sector * 2048, (sector + 1) * 2048);
    if (String.fromCharCode(...bytes.subarray(1, 6)) !== 'CD001' || bytes[0] === 255) break;
    if (bytes[0] === 1 && primary === null) primary = bytes;
    if (bytes[0] === 2 && joliet === null && bytes[88] === 0x25 && bytes[89] === 0x2f) joliet = bytes;
  }
  assert.ok(primary !== null, 'no primary descriptor');
  return { primary, joliet };
}
