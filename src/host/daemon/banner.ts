/**
 * What `strata up` prints once it serves: where it booted from, its socket, every volume with its
 * file system and filters, how the filters attach, and the next commands to type.
 */
import { formatBytes } from '../control/index.ts';
import type { StrataConfig } from './config.ts';
import type { StrataHost } from './host.ts';
import { listVolumes } from './views.ts';

const short = (name: string | null): string => (name === null ? '-' : name.slice(name.lastIndexOf('\\') + 1));

export async function banner(
  host: StrataHost,
  config: StrataConfig,
  socketPath: string,
  customSocket: boolean,
): Promise<string[]> {
  const lines = [
    `Strata is up (pid ${process.pid}), booted from ${config.source ?? 'the built-in configuration'}.`,
    `Control socket: ${socketPath}`,
    '',
  ];
  const volumes = await listVolumes(host);
  for (const v of volumes) {
    const record = host.volumes.get(v.letter)!;
    const size = record.capacity !== null ? `${formatBytes(record.capacity)} ` : '';
    const what =
      v.source === 'ram-disk'
        ? `${size}RAM disk`
        : v.source === 'share'
          ? `share of ${v.hostPath}`
          : `${size}image ${v.hostPath}`;
    const fs = v.mounted ? `${short(v.fileSystem)} "${v.label ?? ''}"` : 'not mounted';
    const filters = v.filters.length > 0 ? `, filters: ${v.filters.map(short).join(' above ')}` : '';
    lines.push(`  ${v.letter}  ${fs}, ${what}, ${v.device}${v.readOnly ? ', read-only' : ''}${filters}`);
  }
  for (const f of config.filters)
    lines.push(
      f.attach === 'notification'
        ? `  ${f.driver} attaches by notification, to every volume as it mounts.`
        : `  ${f.driver} attaches on demand${f.volumes.length > 0 ? ` (attached to ${f.volumes.join(', ')})` : ''}.`,
    );
  if (config.verifier)
    lines.push('  Driver Verifier is on: `strata drivers` lists every violation it finds.');
  // Suggest a volume the commands can write to.
  const letter = volumes.find((v) => v.mounted && !v.readOnly)?.letter ?? volumes[0]?.letter ?? 'M:';
  const filter =
    config.filters.find((f) => f.attach === 'on-demand' && !f.volumes.includes(letter))?.driver ?? 'Spy';
  const commands: Array<[string, string]> = [
    ['strata volumes', 'what is mounted, and by which file system'],
    [`strata put README.md ${letter}/`, 'copy a host file in, through the whole stack'],
    [`strata ls ${letter}/`, 'list the volume'],
    [`strata attach ${filter} ${letter}`, 'attach a filter on demand'],
    [`strata devstack ${letter}`, "the volume's device stack, top first"],
    ['strata trace --follow', 'requests as they happen (with Spy attached)'],
    ['strata down', 'stop (or press Ctrl-C here)'],
  ];
  const width = Math.max(...commands.map(([c]) => c.length));
  lines.push(
    '',
    'Talk to it from another terminal (`npx strata …` in this checkout, or `strata …` after `npm link`):',
    ...(customSocket ? [`  export STRATA_SOCKET=${socketPath}`] : []),
    ...commands.map(([command, why]) => `  ${command.padEnd(width)}  ${why}`),
    'Every command: strata --help; docs/cli.md has them all.',
  );
  return lines;
}
