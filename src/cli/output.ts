/**
 * Output for people and for scripts: aligned columns, sizes and times in a readable form, and
 * colour only when the stream is a terminal and NO_COLOR is not set (https://no-color.org).
 * `--json` output never goes through here: it is the result record, as JSON, on one line.
 */

// Sizes are formatted where the daemon's banner formats them too, so both print one form.
export { formatBytes } from '../host/control/index.ts';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  yellow(text: string): string;
}

const plain: Style = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  green: (t) => t,
  cyan: (t) => t,
  yellow: (t) => t,
};

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\x1b[${open}m${text}\x1b[${close}m`;

const ansi: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  cyan: sgr(36, 39),
  yellow: sgr(33, 39),
};

/** Colour for a stream: only on a terminal, never with NO_COLOR set to anything non-empty. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return stream.isTTY === true && !noColor ? ansi : plain;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape sequences we emit
const ESCAPES = /\x1b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ESCAPES, '').length;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** Rows under a header, columns separated by two spaces, the last column unpadded. */
export function table(columns: Column[], rows: string[][], style: Style): string[] {
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const line = (cells: string[], header: boolean): string =>
    cells
      .map((cell, i) => {
        const last = i === cells.length - 1;
        const pad = ' '.repeat(Math.max(0, widths[i]! - visibleLength(cell)));
        const text = header ? style.bold(cell) : cell;
        if (columns[i]!.align === 'right') return `${pad}${text}`;
        return last ? text : `${text}${pad}`;
      })
      .join('  ')
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      true,
    ),
    ...rows.map((r) => line(r, false)),
  ];
}

/** 1234567 → "1,234,567" (by hand: toLocaleString would load ICU on the startup path). */
export function formatCount(value: number): string {
  const digits = String(Math.trunc(Math.abs(value)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? `-${out}` : out;
}

/** An ISO time as local "2026-11-25 15:57". */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `\FileSystem\MemFs` → `MemFs`. */
export function shortDriver(name: string | null): string {
  if (name === null) return '-';
  return name.slice(name.lastIndexOf('\\') + 1);
}

/** `FILE_DEVICE_DISK_FILE_SYSTEM` → `DISK_FILE_SYSTEM`. */
export function shortType(type: string): string {
  return type.startsWith('FILE_DEVICE_') ? type.slice('FILE_DEVICE_'.length) : type;
}
