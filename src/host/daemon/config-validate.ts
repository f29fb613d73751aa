/**
 * Validating a configuration file into a StrataConfig, with one message per problem naming the
 * field (`ramDisks[0].size`) and why, in the file's own terms.
 *
 * Hand-written rather than a schema library: the schema is small, most checks are about Strata
 * (known drivers, a filter's attach modes, letters unique across disks, images and shares, a
 * format's driver being loaded) and a library would only cover the type half. Every problem is
 * reported, not just the first. Unknown fields are errors (a typo must not silently do nothing).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { planFatFormat } from '../../drivers/fs/fat/index.ts';
import { MEMFS_MINIMUM_MEDIA_SIZE } from '../../drivers/fs/memfs/index.ts';
import type { AttachMode, DriverCatalogue } from './catalogue.ts';
import {
  type FilterConfig,
  formatSize,
  type ImageConfig,
  MIB,
  type RamDiskConfig,
  type RamDiskFormat,
  type ShareConfig,
  type StrataConfig,
} from './config.ts';
import { parseConfigText } from './config-json.ts';

export interface ConfigIssue {
  field: string;
  message: string;
}

export type ValidationResult = { ok: true; config: StrataConfig } | { ok: false; issues: ConfigIssue[] };

/** What the host can do in this build: features whose drivers have not all landed are refused clearly. */
export interface HostCapabilities {
  imageDisks: boolean;
  shares: boolean;
  verifier: boolean;
}

/** The FAT format options a RAM disk format name stands for. */
export function fatOptions(
  format: RamDiskFormat,
  sectorSize: number,
): { fatType?: 12 | 16 | 32; sectorSize: number } {
  const type = format === 'fat12' ? 12 : format === 'fat16' ? 16 : format === 'fat32' ? 32 : undefined;
  return type === undefined ? { sectorSize } : { fatType: type, sectorSize };
}

export interface ValidateOptions {
  catalogue: DriverCatalogue;
  capabilities: HostCapabilities;
  /** Relative host paths are taken from here (the configuration file's directory). */
  baseDir: string;
  source: string | null;
}

const TOP_FIELDS = [
  '$schema',
  'comment',
  'socket',
  'verifier',
  'drivers',
  'ramDisks',
  'images',
  'shares',
  'filters',
];
const RAM_DISK_FIELDS = ['letter', 'size', 'format', 'label', 'readOnly', 'sectorSize'];
const IMAGE_FIELDS = ['path', 'letter', 'readOnly', 'mediaType'];
const SHARE_FIELDS = ['name', 'path', 'letter', 'readOnly'];
const FILTER_FIELDS = ['driver', 'attach', 'volumes', 'key'];
const RAM_DISK_FORMATS: readonly RamDiskFormat[] = ['memfs', 'fat', 'fat12', 'fat16', 'fat32', 'none'];
const MAX_RAM_DISK = 2048 * MIB;
/** sun_path holds 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

/** One message for every issue, for people. */
export function formatIssues(issues: ConfigIssue[], source: string | null): string {
  const head =
    source === null ? 'The configuration is invalid:' : `The configuration in ${source} is invalid:`;
  return [head, ...issues.map((i) => `  ${i.field}: ${i.message}`)].join('\n');
}

export function validateConfig(raw: unknown, options: ValidateOptions): ValidationResult {
  const v = new Validator(options);
  const config = v.top(raw);
  return v.issues.length === 0 && config !== null ? { ok: true, config } : { ok: false, issues: v.issues };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Parses `64MiB`, `512K`, `1.5GiB` or a number of bytes. */
export function parseSize(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|K|KiB|M|MiB|G|GiB)?\s*$/i.exec(value);
  if (match === null) return null;
  const unit = (match[2] ?? 'B').toUpperCase();
  const scale = unit.startsWith('G')
    ? 1024 * MIB
    : unit.startsWith('M')
      ? MIB
      : unit.startsWith('K')
        ? 1024
        : 1;
  const bytes = Number(match[1]) * scale;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}

/** The candidate nearest `name` (same letters in another case, or at most two edits away), or null. */
export function closest(name: string, candidates: readonly string[]): string | null {
  const lower = name.toLowerCase();
  for (const c of candidates) if (c.toLowerCase() === lower) return c;
  let best: string | null = null;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

class Validator {
  readonly issues: ConfigIssue[] = [];
  /** Letters taken so far, with the field that took each. */
  private readonly letters = new Map<string, string>();

  constructor(private readonly options: ValidateOptions) {}

  private issue(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  private object(value: unknown, field: string, known: readonly string[]): Record<string, unknown> | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.issue(field, `must be an object, got ${describe(value)}.`);
      return null;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue;
      const guess = closest(
        key,
        known.filter((k) => !k.startsWith('$') && k !== 'comment'),
      );
      const where = field === '' ? key : `${field}.${key}`;
      this.issue(
        where,
        `unknown field${guess !== null ? ` (did you mean "${guess}"?)` : ''}; known fields are ${known.filter((k) => k !== '$schema' && k !== 'comment').join(', ')}.`,
      );
    }
    return record;
  }

  private array(value: unknown, field: string): unknown[] | null {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.issue(field, `must be an array, got ${describe(value)}.`);
      return null;
    }
    return value;
  }

  private boolean(value: unknown, field: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.issue(field, `must be true or false, got ${describe(value)}.`);
      return fallback;
    }
    return value;
  }

  private string(value: unknown, field: string, required: boolean): string | null {
    if (value === undefined) {
      if (required) this.issue(field, 'is required.');
      return null;
    }
    if (typeof value !== 'string' || value.length === 0) {
      this.issue(field, `must be a non-empty string, got ${describe(value)}.`);
      return null;
    }
    return value;
  }

  private oneOf<T extends string>(
    value: unknown,
    field: string,
    allowed: readonly T[],
    fallback: T | null,
  ): T | null {
    if (value === undefined) {
      if (fallback === null) this.issue(field, `is required (one of ${allowed.join(', ')}).`);
      return fallback;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.issue(field, `must be one of ${allowed.join(', ')}, got ${describe(value)}.`);
      return fallback;
    }
    return value as T;
  }

  /** A drive letter; registers it as taken by `field`. */
  private letter(value: unknown, field: string, required: boolean): string | null {
    if (value === undefined && !required) return null;
    if (typeof value !== 'string' || !/^[A-Za-z]:$/.test(value)) {
      this.issue(field, `must be a drive letter like "M:", got ${describe(value)}.`);
      return null;
    }
    const letter = value.toUpperCase();
    const taken = this.letters.get(letter);
    if (taken !== undefined) this.issue(field, `${letter} is already used by ${taken}.`);
    else this.letters.set(letter, field);
    return letter;
  }

  private hostPath(value: unknown, field: string, kind: 'file' | 'directory'): string | null {
    const text = this.string(value, field, true);
    if (text === null) return null;
    const path = isAbsolute(text) ? text : resolve(this.options.baseDir, text);
    if (!existsSync(path)) {
      this.issue(field, `${path} does not exist.`);
      return path;
    }
    const isDirectory = statSync(path).isDirectory();
    if (kind === 'directory' && !isDirectory) this.issue(field, `${path} is not a directory.`);
    if (kind === 'file' && isDirectory) this.issue(field, `${path} is a directory, not an image file.`);
    return path;
  }

  top(raw: unknown): StrataConfig | null {
    const record = this.object(raw, '', TOP_FIELDS);
    if (record === null) return null;
    const { catalogue } = this.options;
    let socket: string | null = null;
    if (record.socket !== undefined) {
      socket = this.string(record.socket, 'socket', false);
      if (socket !== null) {
        socket = isAbsolute(socket) ? socket : resolve(this.options.baseDir, socket);
        const bytes = Buffer.byteLength(socket);
        if (bytes > MAX_SOCKET_PATH_BYTES)
          this.issue(
            'socket',
            `the path is ${bytes} bytes long; Unix domain sockets allow at most ${MAX_SOCKET_PATH_BYTES}.`,
          );
      }
    }
    const verifier = this.boolean(record.verifier, 'verifier', false);
    if (verifier && !this.options.capabilities.verifier)
      this.issue('verifier', 'the driver verifier is not in this build yet.');
    const drivers: string[] = [];
    (this.array(record.drivers, 'drivers') ?? []).forEach((value, i) => {
      const field = `drivers[${i}]`;
      const name = this.string(value, field, true);
      if (name === null) return;
      const known = catalogue.get(name);
      if (known === undefined) {
        const guess = closest(name, catalogue.services);
        this.issue(
          field,
          `unknown driver ${describe(name)}${guess !== null ? ` (did you mean "${guess}"?)` : ''}; this build has ${catalogue.services.join(', ')}.`,
        );
        return;
      }
      const service = known.module.manifest.name;
      if (drivers.includes(service)) this.issue(field, `${service} is listed twice.`);
      else drivers.push(service);
    });
    const ramDisks = (this.array(record.ramDisks, 'ramDisks') ?? [])
      .map((value, i) => this.ramDisk(value, `ramDisks[${i}]`, drivers))
      .filter((d): d is RamDiskConfig => d !== null);
    const images = this.images(record.images);
    const shares = this.shares(record.shares);
    const filters = (this.array(record.filters, 'filters') ?? [])
      .map((value, i) => this.filter(value, `filters[${i}]`))
      .filter((f): f is FilterConfig => f !== null);
    const seen = new Set<string>();
    filters.forEach((f, i) => {
      if (seen.has(f.driver)) this.issue(`filters[${i}].driver`, `${f.driver} is listed twice.`);
      seen.add(f.driver);
    });
    return { socket, verifier, drivers, ramDisks, images, shares, filters, source: this.options.source };
  }

  private ramDisk(value: unknown, field: string, drivers: string[]): RamDiskConfig | null {
    const record = this.object(value, field, RAM_DISK_FIELDS);
    if (record === null) return null;
    const letter = this.letter(record.letter, `${field}.letter`, true);
    const format = this.oneOf(record.format, `${field}.format`, RAM_DISK_FORMATS, 'memfs')!;
    let sectorSize = 512;
    if (record.sectorSize !== undefined) {
      const s = record.sectorSize;
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 128 || s > 65536 || (s & (s - 1)) !== 0)
        this.issue(`${field}.sectorSize`, `must be a power of two from 128 to 65536, got ${describe(s)}.`);
      else sectorSize = s;
    }
    let sizeBytes = 0;
    if (record.size === undefined) this.issue(`${field}.size`, 'is required (for example "64MiB").');
    else {
      const parsed = parseSize(record.size);
      if (parsed === null)
        this.issue(
          `${field}.size`,
          `must be a size like "64MiB" or a number of bytes, got ${describe(record.size)}.`,
        );
      else if (parsed > MAX_RAM_DISK)
        this.issue(
          `${field}.size`,
          `${record.size} is more than a RAM disk may hold (2GiB); use an image file.`,
        );
      else if (parsed % sectorSize !== 0)
        this.issue(`${field}.size`, `must be a multiple of the sector size (${sectorSize} bytes).`);
      else if (format === 'memfs' && parsed < MEMFS_MINIMUM_MEDIA_SIZE)
        this.issue(`${field}.size`, `is too small for MemFS (at least ${MEMFS_MINIMUM_MEDIA_SIZE} bytes).`);
      else if (
        format.startsWith('fat') &&
        planFatFormat(parsed, fatOptions(format, sectorSize)).plan === null
      )
        this.issue(
          `${field}.size`,
          `${formatSize(parsed)} cannot hold ${format === 'fat' ? 'a FAT file system' : `FAT${format.slice(3)}`} with ${sectorSize}-byte sectors (mkfs.fat would refuse it too).`,
        );
      else sizeBytes = parsed;
    }
    let label = '';
    const maxLabel = format.startsWith('fat') ? 11 : 32;
    if (record.label !== undefined) {
      if (
        typeof record.label !== 'string' ||
        record.label.length > maxLabel ||
        [...record.label].some((c) => c.charCodeAt(0) < 0x20)
      )
        this.issue(
          `${field}.label`,
          `must be a string of at most ${maxLabel} printable characters, got ${describe(record.label)}.`,
        );
      else label = record.label;
    }
    const readOnly = this.boolean(record.readOnly, `${field}.readOnly`, false);
    if (format === 'memfs' && !drivers.includes('MemFs'))
      this.issue(`${field}.format`, 'memfs volumes need the MemFs driver; add "MemFs" to drivers.');
    if (format.startsWith('fat') && !drivers.includes('Fat') && !drivers.includes('Fs_Rec'))
      this.issue(
        `${field}.format`,
        `${format} volumes need the Fat driver (or Fs_Rec to load it); add "Fat" to drivers.`,
      );
    if (letter === null) return null;
    return { letter, sizeBytes, format, label, readOnly, sectorSize };
  }

  private images(value: unknown): ImageConfig[] {
    const list = this.array(value, 'images') ?? [];
    if (list.length > 0 && !this.options.capabilities.imageDisks) {
      this.issue(
        'images',
        'image files are not supported by this build yet (the image disk driver is missing).',
      );
      return [];
    }
    return list
      .map((item, i): ImageConfig | null => {
        const field = `images[${i}]`;
        const record = this.object(item, field, IMAGE_FIELDS);
        if (record === null) return null;
        const path = this.hostPath(record.path, `${field}.path`, 'file');
        const letter = this.letter(record.letter, `${field}.letter`, false);
        const readOnly = this.boolean(record.readOnly, `${field}.readOnly`, false);
        const mediaType = this.oneOf(
          record.mediaType,
          `${field}.mediaType`,
          ['disk', 'cdrom'] as const,
          'disk',
        );
        if (path === null) return null;
        return { path, letter, readOnly, mediaType: record.mediaType === undefined ? null : mediaType };
      })
      .filter((x): x is ImageConfig => x !== null);
  }

  private shares(value: unknown): ShareConfig[] {
    const list = this.array(value, 'shares') ?? [];
    if (list.length > 0 && !this.options.capabilities.shares) {
      this.issue(
        'shares',
        'host directory shares are not supported by this build yet (the HostFs driver is missing).',
      );
      return [];
    }
    const names = new Set<string>();
    return list
      .map((item, i): ShareConfig | null => {
        const field = `shares[${i}]`;
        const record = this.object(item, field, SHARE_FIELDS);
        if (record === null) return null;
        const name = this.string(record.name, `${field}.name`, true);
        if (name !== null && !/^[A-Za-z0-9_$.-]{1,80}$/.test(name))
          this.issue(
            `${field}.name`,
            `must be 1 to 80 letters, digits, "_", "-", "." or "$", got ${describe(name)}.`,
          );
        else if (name !== null && names.has(name.toUpperCase()))
          this.issue(`${field}.name`, `share ${name} is listed twice.`);
        if (name !== null) names.add(name.toUpperCase());
        const path = this.hostPath(record.path, `${field}.path`, 'directory');
        const letter = this.letter(record.letter, `${field}.letter`, false);
        const readOnly = this.boolean(record.readOnly, `${field}.readOnly`, false);
        if (name === null || path === null) return null;
        return { name, path, letter, readOnly };
      })
      .filter((x): x is ShareConfig => x !== null);
  }

  private filter(value: unknown, field: string): FilterConfig | null {
    const record = this.object(value, field, FILTER_FIELDS);
    if (record === null) return null;
    const name = this.string(record.driver, `${field}.driver`, true);
    const mode = this.oneOf<AttachMode>(
      record.attach,
      `${field}.attach`,
      ['notification', 'on-demand'],
      null,
    );
    if (name === null) return null;
    const entry = this.options.catalogue.get(name);
    if (entry === undefined) {
      const filters = this.options.catalogue
        .all()
        .filter((e) => e.attach.length > 0)
        .map((e) => e.module.manifest.name);
      this.issue(
        `${field}.driver`,
        `unknown filter ${describe(name)}; this build has ${filters.join(', ')}.`,
      );
      return null;
    }
    const driver = entry.module.manifest.name;
    if (entry.attach.length === 0) {
      this.issue(`${field}.driver`, `${driver} is not a filter driver.`);
      return null;
    }
    if (mode !== null && !entry.attach.includes(mode))
      this.issue(
        `${field}.attach`,
        `${driver} cannot attach by ${mode}; it attaches by ${entry.attach.join(' or ')}.`,
      );
    const volumes: string[] = [];
    (this.array(record.volumes, `${field}.volumes`) ?? []).forEach((v, i) => {
      const vf = `${field}.volumes[${i}]`;
      if (typeof v !== 'string' || !/^[A-Za-z]:$/.test(v)) {
        this.issue(vf, `must be a drive letter like "M:", got ${describe(v)}.`);
        return;
      }
      const letter = v.toUpperCase();
      if (!this.letters.has(letter)) this.issue(vf, `${letter} is not a volume of this configuration.`);
      volumes.push(letter);
    });
    if (volumes.length > 0 && mode === 'notification')
      this.issue(
        `${field}.volumes`,
        'only on-demand filters take a volume list; notification filters attach to every volume.',
      );
    let key: string | null = null;
    if (record.key !== undefined) {
      if (entry.onDemand?.needsKey !== true) this.issue(`${field}.key`, `${driver} takes no key.`);
      else if (typeof record.key !== 'string' || !/^[0-9a-fA-F]{64}$/.test(record.key))
        this.issue(`${field}.key`, 'must be 64 hexadecimal digits (a 256-bit key).');
      else key = record.key.toLowerCase();
    } else if (entry.onDemand?.needsKey === true && volumes.length > 0)
      this.issue(`${field}.key`, `is required: ${driver} needs a key to attach to ${volumes.join(', ')}.`);
    return mode === null ? null : { driver, attach: mode, volumes, key };
  }
}

/** A configuration that cannot be used; the message lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads, parses and validates a configuration file; throws ConfigError with every problem. */
export function loadConfigFile(
  path: string,
  catalogue: DriverCatalogue,
  capabilities: HostCapabilities,
): StrataConfig {
  const source = resolve(path);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `The configuration file ${source} cannot be read: ${code === 'ENOENT' ? 'it does not exist' : (error as Error).message}.`,
    );
  }
  const parsed = parseConfigText(text, source);
  if ('error' in parsed) throw new ConfigError(parsed.error);
  const result = validateConfig(parsed.value, { catalogue, capabilities, baseDir: dirname(source), source });
  if (!result.ok) throw new ConfigError(formatIssues(result.issues, source));
  return result.config;
}
