/**
 * Sizes for people, one form everywhere the command line and the daemon print them: 1536 →
 * "1.5 KiB"; below 1 KiB, bytes. A value that rounds to 1024 of a unit is shown in the next one
 * (1 GiB less a few KiB is "1.0 GiB", never "1024 MiB"), so one size has one form. (The
 * configuration's own spelling, "64MiB", is config.ts's formatSize: for messages about what the
 * user wrote.)
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let index = 0;
  while (index < units.length - 1 && Number(shown(value)) >= 1024) {
    value /= 1024;
    index++;
  }
  return `${shown(value)} ${units[index]}`;
}

function shown(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
