/**
 * Reading request parameters: each getter returns the value with its type or throws
 * InvalidParamsError naming the parameter and what it should be. Nothing a client sends is
 * trusted before it passes through here.
 */
import { parseStrataPath, parseVolumeName, type StrataPath } from '../control/index.ts';
import { InvalidParamsError } from './errors.ts';

export type Params = Record<string, unknown>;

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export function string(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value.length === 0)
    throw new InvalidParamsError(`Parameter "${name}" must be a non-empty string, got ${show(value)}.`);
  return value;
}

export function optionalString(params: Params, name: string): string | null {
  return params[name] === undefined || params[name] === null ? null : string(params, name);
}

export function boolean(params: Params, name: string, fallback = false): boolean {
  const value = params[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new InvalidParamsError(`Parameter "${name}" must be true or false, got ${show(value)}.`);
  return value;
}

export function integer(params: Params, name: string, min: number, max: number, fallback?: number): number {
  const value = params[name];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw new InvalidParamsError(
      `Parameter "${name}" must be an integer from ${min} to ${max}, got ${show(value)}.`,
    );
  return value;
}

export function path(params: Params, name = 'path'): StrataPath {
  const text = string(params, name);
  const parsed = parseStrataPath(text);
  if (parsed === null)
    throw new InvalidParamsError(
      `Parameter "${name}" must be a Strata path like M:\\dir\\file, got ${show(text)}.`,
    );
  return parsed;
}

export function volume(params: Params, name = 'volume'): { ntName: string; display: string } {
  const text = string(params, name);
  const parsed = parseVolumeName(text);
  if (parsed === null)
    throw new InvalidParamsError(
      `Parameter "${name}" must be a volume like M: or a device name, got ${show(text)}.`,
    );
  return parsed;
}

/** Base64 data of at most `maxBytes` bytes. */
export function data(params: Params, name: string, maxBytes: number): Uint8Array {
  const value = params[name];
  if (typeof value !== 'string' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
    throw new InvalidParamsError(`Parameter "${name}" must be base64 text.`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length > maxBytes)
    throw new InvalidParamsError(
      `Parameter "${name}" carries ${bytes.length} bytes; a chunk holds at most ${maxBytes}.`,
    );
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
