/**
 * Text views of device stacks, the way the kernel debugger's `!devstack` shows them: top of the
 * stack first, one line per device with its driver, type, flags and stack size.
 */
import { DEVICE_TYPE_NAMES, DO_FLAG_NAMES, VPB_MOUNTED } from '../base/index.ts';
import { type DeviceObject, IoGetAttachedDevice, IopGetDeviceAttachmentBase } from '../io/index.ts';

export interface StackEntry {
  device: DeviceObject;
  driverName: string;
  deviceName: string | null;
  deviceType: string;
  flags: string[];
  stackSize: number;
}

/** The stack `device` belongs to, top first. */
export function deviceStack(device: DeviceObject): StackEntry[] {
  const entries: StackEntry[] = [];
  for (let d: DeviceObject | null = IoGetAttachedDevice(device); d !== null; d = d.attachedTo) {
    entries.push({
      device: d,
      driverName: d.driverObject.driverName,
      deviceName: d.deviceName,
      deviceType: DEVICE_TYPE_NAMES[d.deviceType] ?? `0x${d.deviceType.toString(16)}`,
      flags: DO_FLAG_NAMES.filter(([bit]) => (d!.flags & bit) !== 0).map(([, name]) => name),
      stackSize: d.stackSize,
    });
  }
  return entries;
}

/** `!devstack` text for the stack `device` is in; `>` marks the device asked about. */
export function formatDeviceStack(device: DeviceObject): string {
  const entries = deviceStack(device);
  const base = IopGetDeviceAttachmentBase(device);
  const rows = entries.map((entry) => [
    entry.device === device ? '>' : ' ',
    entry.driverName,
    entry.deviceName ?? '(unnamed)',
    entry.deviceType,
    String(entry.stackSize),
    entry.flags.join('|') || '-',
  ]);
  const header = [' ', 'Driver', 'Device', 'Type', 'Stack', 'Flags'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  const vpb = base.mountedVpb ?? base.vpb;
  if (vpb !== null) {
    const mounted = (vpb.flags & VPB_MOUNTED) !== 0;
    out.push(
      mounted && vpb.deviceObject !== null
        ? `VPB: ${vpb.realDevice.describe()} mounted as ${vpb.deviceObject.driverObject.driverName} volume` +
            (vpb.volumeLabel ? ` "${vpb.volumeLabel}"` : '')
        : `VPB: ${vpb.realDevice.describe()} not mounted`,
    );
  }
  return out.join('\n');
}
