/**
 * The commands that look at and change the system: drivers, devices, volumes, devstack, load,
 * unload, attach, detach, mount-image, dismount.
 */
import { resolve } from 'node:path';
import type {
  AttachResult,
  DevicesResult,
  DevstackResult,
  DismountResult,
  DriversResult,
  LoadResult,
  MountImageResult,
  StackEntryInfo,
  VolumesResult,
} from '../../host/control/index.ts';
import { type Command, type CommandContext, flag, stringOption, UsageError } from '../command.ts';
import { formatBytes, shortDriver, shortType, table } from '../output.ts';
import { call, emit } from '../request.ts';

export const drivers: Command = {
  name: 'drivers',
  summary: 'List the drivers: loaded ones in load order, then the others this build can load',
  usage: 'drivers',
  args: { min: 0, max: 0 },
  examples: ['strata drivers', 'strata drivers --json'],
  json: '{ drivers: [{ service, name, kind, description, loaded, devices, unloadable, attach, attachMode }], verifier: { enabled, violations: [{ sequence, rule, section, driver, message, irp }] } }',
  async run(context) {
    const result = await call<DriversResult>(context, 'drivers');
    return emit(context, result, () => [
      ...table(
        [
          { header: 'SERVICE' },
          { header: 'KIND' },
          { header: 'STATE' },
          { header: 'DEVICES', align: 'right' },
          { header: 'ATTACH' },
          { header: 'DESCRIPTION' },
        ],
        result.drivers.map((d) => [
          d.service,
          d.kind,
          d.loaded ? context.style.green('loaded') : context.style.dim('-'),
          String(d.devices),
          d.attachMode ?? (d.attach.length > 0 ? context.style.dim(d.attach.join('|')) : ''),
          context.style.dim(d.description),
        ]),
        context.style,
      ),
      ...(result.verifier.enabled
        ? [
            '',
            `Driver Verifier is on: ${result.verifier.violations.length} violation${result.verifier.violations.length === 1 ? '' : 's'}.`,
            ...result.verifier.violations.map((v) =>
              context.style.red(`  [${v.section} ${v.rule}] ${v.driver}: ${v.message}`),
            ),
          ]
        : []),
    ]);
  },
};

export const devices: Command = {
  name: 'devices',
  summary: 'List every device object, driver by driver',
  usage: 'devices',
  args: { min: 0, max: 0 },
  examples: ['strata devices'],
  json: '{ devices: [{ device, named, driver, type, flags, characteristics, stackSize, attachedTo, attachedDevice, mountedVolume }] }',
  async run(context) {
    const result = await call<DevicesResult>(context, 'devices');
    return emit(context, result, () =>
      table(
        [
          { header: 'DEVICE' },
          { header: 'DRIVER' },
          { header: 'TYPE' },
          { header: 'STACK', align: 'right' },
          { header: 'ATTACHED TO' },
          { header: 'FLAGS' },
        ],
        result.devices.map((d) => [
          d.named ? d.device : context.style.dim(d.device),
          shortDriver(d.driver),
          shortType(d.type),
          String(d.stackSize),
          d.attachedTo ??
            (d.mountedVolume !== null ? context.style.dim(`(mounted: ${d.mountedVolume})`) : '-'),
          [...d.flags, ...d.characteristics].join(' ') || '-',
        ]),
        context.style,
      ),
    );
  },
};

export const volumes: Command = {
  name: 'volumes',
  summary: 'List the drive letters, what is behind each, and who mounted it',
  usage: 'volumes',
  args: { min: 0, max: 0 },
  examples: ['strata volumes'],
  json: '{ volumes: [{ letter, device, source, hostPath, readOnly, readOnlyReason, mounted, fileSystem, label, sizeBytes, freeBytes, filters }] }',
  async run(context) {
    const result = await call<VolumesResult>(context, 'volumes');
    return emit(context, result, () =>
      table(
        [
          { header: 'VOLUME' },
          { header: 'FILE SYSTEM' },
          { header: 'LABEL' },
          { header: 'SIZE', align: 'right' },
          { header: 'FREE', align: 'right' },
          { header: 'DEVICE' },
          { header: 'FILTERS (TOP FIRST)' },
        ],
        result.volumes.map((v) => [
          v.letter,
          v.mounted ? shortDriver(v.fileSystem) : context.style.dim('not mounted'),
          v.label ?? '',
          v.sizeBytes === null ? '-' : formatBytes(v.sizeBytes),
          v.freeBytes === null ? '-' : formatBytes(v.freeBytes),
          `${v.device}${v.hostPath !== null ? ` (${v.hostPath})` : ''}${v.readOnly ? ' read-only' : ''}`,
          v.filters.map(shortDriver).join(' > ') || '-',
        ]),
        context.style,
      ),
    );
  },
};

function stackRows(
  entries: StackEntryInfo[],
  context: CommandContext,
  marked: (e: StackEntryInfo) => boolean,
): string[][] {
  return entries.map((e) => [
    marked(e) ? '>' : ' ',
    e.driver,
    e.device.startsWith(`${e.driver} (unnamed`)
      ? context.style.dim(e.device.slice(e.driver.length + 1))
      : e.device,
    shortType(e.type),
    String(e.stackSize),
    e.flags.join(' ') || '-',
  ]);
}

/** The `!devstack` text of a devstack result. */
export function formatDevstack(result: DevstackResult, context: CommandContext): string[] {
  const columns = [
    { header: ' ' },
    { header: 'DRIVER' },
    { header: 'DEVICE' },
    { header: 'TYPE' },
    { header: 'STACK', align: 'right' as const },
    { header: 'FLAGS' },
  ];
  const rows = [...stackRows(result.stack, context, (e) => e.role === 'volume')];
  const vpb = result.vpb;
  const lines = table(columns, [...rows, ...stackRows(result.storage, context, () => false)], context.style);
  // The VPB line sits between the volume stack and the storage stack, as it does in the kernel.
  const vpbLine =
    vpb === null
      ? null
      : vpb.mounted && vpb.volumeDevice !== null
        ? context.style.cyan(
            `  VPB: ${vpb.realDevice} mounted as ${vpb.volumeDevice}${vpb.label ? ` "${vpb.label}"` : ''}, serial ${vpb.serialNumber.toString(16).toUpperCase().padStart(8, '0')}`,
          )
        : context.style.cyan(`  VPB: ${vpb.realDevice} not mounted`);
  if (vpbLine !== null) lines.splice(1 + rows.length, 0, vpbLine);
  return [`Device stack of ${result.volume}, top first:`, ...lines];
}

export const devstack: Command = {
  name: 'devstack',
  summary: "Show a volume's device stack top to bottom, the way WinDbg's !devstack does",
  usage: 'devstack <volume>',
  description:
    'The volume stack (filters above the file system\'s volume device, which ">" marks), the VPB that links it to its disk, and the storage stack below. <volume> is a drive letter (M:) or a device name (\\Device\\RamDisk0).',
  args: { min: 1, max: 1 },
  examples: ['strata devstack M:', "strata devstack '\\Device\\MemFs'", 'strata devstack M: --json'],
  json: '{ volume, stack: [{ driver, device, type, flags, stackSize, role }], vpb: { realDevice, mounted, volumeDevice, label, serialNumber } | null, storage: [...] }',
  async run(context, args) {
    const result = await call<DevstackResult>(context, 'devstack', { volume: args.positionals[0] });
    return emit(context, result, () => formatDevstack(result, context));
  },
};

const loadCommand = (unload: boolean): Command => ({
  name: unload ? 'unload' : 'load',
  summary: unload
    ? 'Unload a driver (its DriverUnload runs)'
    : 'Load a driver by service name (as ZwLoadDriver)',
  usage: `${unload ? 'unload' : 'load'} <driver>`,
  description: unload
    ? 'Drivers without a DriverUnload routine cannot be unloaded (STATUS_INVALID_DEVICE_REQUEST); file systems remove theirs while volumes are mounted.'
    : '`strata drivers` lists the service names this build can load.',
  args: { min: 1, max: 1 },
  examples: [unload ? 'strata unload Spy' : 'strata load Spy'],
  json: '{ driver: { service, name, kind, description, loaded, devices, unloadable, attach, attachMode } }',
  async run(context, args) {
    const result = await call<LoadResult>(context, unload ? 'unload' : 'load', {
      driver: args.positionals[0],
    });
    return emit(context, result, () => [
      unload
        ? `Unloaded ${result.driver.service}.`
        : `Loaded ${result.driver.service} as ${result.driver.name}.`,
    ]);
  },
});

export const load = loadCommand(false);
export const unload = loadCommand(true);

const attachCommand = (detach: boolean): Command => ({
  name: detach ? 'detach' : 'attach',
  summary: detach
    ? 'Tell a filter to detach from a volume'
    : 'Tell a filter to attach to a volume, on demand',
  usage: `${detach ? 'detach' : 'attach'} <filter> <volume>`,
  description: detach
    ? "Sends the filter's detach device control to its control device."
    : "Sends the filter's attach device control to its control device, from user mode, as FileSpy's tool does. The filter lands on top of the volume's stack, above every filter that attached by notification.",
  ...(detach
    ? {}
    : {
        options: {
          key: {
            type: 'string' as const,
            placeholder: 'hex',
            description: "Crypt's volume key: 64 hexadecimal digits (AES-256)",
          },
        },
      }),
  args: { min: 2, max: 2 },
  examples: detach
    ? ['strata detach Spy M:']
    : [
        'strata attach Spy M:',
        'strata attach ReadOnly M:',
        `strata attach Crypt N: --key ${'0f'.repeat(32)}`,
      ],
  json: '{ filter, volume, stack: [{ driver, device, type, flags, stackSize, role }], cutOff: [service] }',
  async run(context, args) {
    const [filter, volume] = args.positionals as [string, string];
    const key = stringOption(args, 'key');
    const result = await call<AttachResult>(context, detach ? 'detach' : 'attach', {
      filter,
      volume,
      ...(key !== null ? { key } : {}),
    });
    return emit(context, result, () => [
      detach
        ? `${result.filter} detached from ${result.volume}.`
        : `${result.filter} attached to ${result.volume}.`,
      `Stack of ${result.volume} now: ${result.stack.map((e) => shortDriver(e.driver)).join(' > ') || '(not mounted)'}`,
      ...(result.cutOff.length === 0
        ? []
        : [
            `${result.cutOff.join(', ')} ${result.cutOff.length === 1 ? 'was' : 'were'} above ${result.filter} and no longer ${result.cutOff.length === 1 ? 'sees' : 'see'} ${result.volume}'s requests: IoDetachDevice does not splice the stack. Detach ${result.cutOff.length === 1 ? 'it' : 'them'}, or attach again to land on top.`,
          ]),
    ]);
  },
});

export const attach = attachCommand(false);
export const detach = attachCommand(true);

export const mountImage: Command = {
  name: 'mount-image',
  summary: 'Attach a disk image file as a volume',
  usage: 'mount-image <file> [--letter X:] [--read-only] [--cdrom | --disk]',
  description:
    'The image becomes a disk; each partition (or the whole image) becomes a volume with a drive letter. A volume no file system mounts gets no letter; when none mounts, the command fails and the image is let go.',
  options: {
    letter: {
      type: 'string',
      placeholder: 'X:',
      description: 'the drive letter (default: the first free one from D:)',
    },
    'read-only': {
      type: 'boolean',
      description: 'open the image read-only; writes fail with STATUS_MEDIA_WRITE_PROTECTED',
    },
    cdrom: { type: 'boolean', description: 'attach it as a CD-ROM, whatever its name (default for *.iso)' },
    disk: { type: 'boolean', description: 'attach it as a disk, even when its name ends in .iso' },
  },
  args: { min: 1, max: 1 },
  examples: [
    'strata mount-image disk.img --letter F:',
    'strata mount-image cd.iso --read-only',
    'strata mount-image install.img --cdrom',
  ],
  json: '{ volume: { letter, device, source, hostPath, readOnly, readOnlyReason, mounted, fileSystem, label, sizeBytes, freeBytes, filters }, volumes: [...], unmounted: [{ device, status }] }',
  async run(context, args) {
    const letter = stringOption(args, 'letter');
    if (letter !== null && !/^[A-Za-z]:$/.test(letter))
      throw new UsageError(`--letter takes a drive letter like F:, not "${letter}".`, mountImage);
    if (flag(args, 'cdrom') && flag(args, 'disk'))
      throw new UsageError('--cdrom and --disk contradict each other; give one.', mountImage);
    const mediaType = flag(args, 'cdrom') ? 'cdrom' : flag(args, 'disk') ? 'disk' : null;
    const result = await call<MountImageResult>(context, 'mount-image', {
      path: resolve(args.positionals[0]!),
      ...(letter !== null ? { letter: letter.toUpperCase() } : {}),
      readOnly: flag(args, 'read-only'),
      ...(mediaType !== null ? { mediaType } : {}),
    });
    for (const u of result.unmounted)
      context.err.write(
        `${context.errStyle.yellow('strata:')} ${u.device} of the image did not mount (${u.status}); it has no letter.\n`,
      );
    return emit(context, result, () =>
      result.volumes.map(
        (v) =>
          `Mounted ${v.hostPath} as ${v.letter} (${shortDriver(v.fileSystem)} "${v.label ?? ''}"${v.readOnly ? `, read-only: ${v.readOnlyReason ?? 'its disk is read-only'}` : ''}).`,
      ),
    );
  },
};

/** What a dismount did, truthfully: letter kept or removed, image released or still held. */
function dismountSentence(result: DismountResult): string {
  const { volume, hostPath } = result;
  if (!result.letterRemoved) return `Dismounted ${volume}; it mounts again on the next access.`;
  if (!result.ejected)
    return `Dismounted ${volume} and removed its letter; ${hostPath} stays attached for ${result.imageHeldBy.join(', ')}, so its file stays open (dismount ${result.imageHeldBy.join(' and ')} too to let it go; mount-image ${hostPath} gives this partition a letter again).`;
  return `Dismounted ${volume} and let go of ${hostPath ?? 'it'}.`;
}

export const dismount: Command = {
  name: 'dismount',
  summary: 'Flush and dismount a volume (FSCTL_LOCK_VOLUME, FSCTL_DISMOUNT_VOLUME)',
  usage: 'dismount <volume>',
  description:
    'The file system writes everything back and lets go of the volume; filters above it detach. A RAM disk keeps its letter and mounts again on the next access; an image or share loses the letter, and an image is released with its last letter (another partition may keep it attached). Files still open are not waited for: their handles fail afterwards.',
  args: { min: 1, max: 1 },
  examples: ['strata dismount M:'],
  json: '{ volume, locked, letterRemoved, ejected, imageHeldBy, hostPath }',
  async run(context, args) {
    const result = await call<DismountResult>(context, 'dismount', { volume: args.positionals[0] });
    return emit(context, result, () => [
      `${dismountSentence(result)}${result.locked ? '' : ' Files were still open; their handles now fail.'}`,
    ]);
  },
};
