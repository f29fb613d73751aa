/**
 * Hand-made MBR and EBR sectors for partition table tests: the four entries, the signature, and a
 * whole disk image assembled from table sectors at given sector numbers.
 */

export interface EntrySpec {
  type: number;
  start: number;
  count: number;
  boot?: number;
}

/** One 512-byte table sector: entries (null = empty), 0x55AA unless `signature: false`. */
export function tableSector(
  entries: Array<EntrySpec | null>,
  options: { signature?: boolean; jump?: boolean } = {},
): Uint8Array {
  const sector = new Uint8Array(512);
  const view = new DataView(sector.buffer);
  entries.forEach((entry, slot) => {
    if (entry === null) return;
    const at = 0x1be + slot * 16;
    sector[at] = entry.boot ?? 0;
    sector[at + 4] = entry.type;
    view.setUint32(at + 8, entry.start, true);
    view.setUint32(at + 12, entry.count, true);
  });
  if (options.jump === true) sector.set([0xeb, 0x3c, 0x90], 0);
  if (options.signature !== false) sector.set([0x55, 0xaa], 510);
  return sector;
}

/** A disk of `sectors` 512-byte sectors with the given table sectors written at their positions. */
export function diskWithTables(sectors: number, tables: Record<number, Uint8Array>): Uint8Array {
  const media = new Uint8Array(sectors * 512);
  for (const [at, sector] of Object.entries(tables)) media.set(sector, Number(at) * 512);
  return media;
}
