/**
 * What `drivers`, `devices`, `volumes` and `devstack` report: plain records read from the kernel's
 * objects (driver objects, device objects and their attachment chains, VPBs), never the objects
 * themselves, so they can cross the socket. Reading them sends no IRP and changes nothing, except
 * the volume sizes, which come from FileFsSizeInformation on volumes already mounted.
 */
import { deviceStack, NtQueryVolumeInformationFile, type StackEntry } from '../../api/index.ts';
import {
  FILE_DEVICE_IS_MOUNTED,
  FILE_DEVICE_SECURE_OPEN,
  FILE_FLOPPY_DISKETTE,
  FILE_READ_ATTRIBUTES,
  FILE_READ_ONLY_DEVICE,
  FILE_REMOTE_DEVICE,
  FILE_REMOVABLE_MEDIA,
  FILE_VIRTUAL_VOLUME,
  FILE_WRITE_ONCE_MEDIA,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  NT_SUCCESS,
  SYNCHRONIZE,
  VPB_MOUNTED,
} from '../../base/index.ts';
import { type DeviceObject, type DriverObject, IopGetDeviceAttachmentBase } from '../../io/index.ts';
import type { DeviceInfo, DevstackResult, DriverInfo, StackEntryInfo, VolumeInfo } from '../control/index.ts';
import { parseStrataPath } from '../control/index.ts';
import type { StrataHost, VolumeRecord } from './host.ts';
import { readOnlyReason } from './read-only.ts';

const CHARACTERISTIC_NAMES: ReadonlyArray<readonly [number, string]> = [
  [FILE_REMOVABLE_MEDIA, 'FILE_REMOVABLE_MEDIA'],
  [FILE_READ_ONLY_DEVICE, 'FILE_READ_ONLY_DEVICE'],
  [FILE_FLOPPY_DISKETTE, 'FILE_FLOPPY_DISKETTE'],
  [FILE_WRITE_ONCE_MEDIA, 'FILE_WRITE_ONCE_MEDIA'],
  [FILE_REMOTE_DEVICE, 'FILE_REMOTE_DEVICE'],
  [FILE_DEVICE_IS_MOUNTED, 'FILE_DEVICE_IS_MOUNTED'],
  [FILE_VIRTUAL_VOLUME, 'FILE_VIRTUAL_VOLUME'],
  [FILE_DEVICE_SECURE_OPEN, 'FILE_DEVICE_SECURE_OPEN'],
];

function driverInfo(host: StrataHost, service: string, loaded: DriverObject | undefined): DriverInfo {
  const entry = host.catalogue.get(service);
  const manifest = loaded?.module.manifest ?? entry?.module.manifest;
  return {
    service: manifest?.name ?? service,
    name: loaded?.driverName ?? null,
    kind: manifest?.kind ?? 'other',
    description: manifest?.description ?? '',
    loaded: loaded !== undefined,
    devices: loaded?.deviceObjects.length ?? 0,
    unloadable: loaded !== undefined && loaded.driverUnload !== null,
    attach: [...(entry?.attach ?? [])],
    attachMode:
      loaded !== undefined && (entry?.attach.length ?? 0) > 0
        ? (host.filterModes.get(loaded.serviceName.toUpperCase()) ?? null)
        : null,
  };
}

/** Loaded drivers in load order, then the catalogue's other drivers. */
export function listDrivers(host: StrataHost): DriverInfo[] {
  const out: DriverInfo[] = [];
  const seen = new Set<string>();
  for (const [key, driver] of host.system.io.drivers) {
    seen.add(key);
    out.push(driverInfo(host, driver.serviceName, driver));
  }
  for (const service of host.catalogue.services) {
    if (!seen.has(service.toUpperCase())) out.push(driverInfo(host, service, undefined));
  }
  return out;
}

export function describeDriver(host: StrataHost, service: string): DriverInfo {
  return driverInfo(host, service, host.system.io.drivers.get(service.toUpperCase()));
}

function names(bits: number, table: ReadonlyArray<readonly [number, string]>): string[] {
  return table.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
}

export function deviceInfo(device: DeviceObject): DeviceInfo {
  const [entry] = deviceStack(device).filter((e) => e.device === device);
  const vpb = device.vpb;
  return {
    device: device.describe(),
    named: device.deviceName !== null,
    driver: device.driverObject.driverName,
    type: entry?.deviceType ?? String(device.deviceType),
    flags: entry?.flags ?? [],
    characteristics: names(device.characteristics, CHARACTERISTIC_NAMES),
    stackSize: device.stackSize,
    attachedTo: device.attachedTo?.describe() ?? null,
    attachedDevice: device.attachedDevice?.describe() ?? null,
    mountedVolume:
      vpb !== null && (vpb.flags & VPB_MOUNTED) !== 0 ? (vpb.deviceObject?.describe() ?? null) : null,
  };
}

/** Every device of every loaded driver, driver by driver in load order. */
export function listDevices(host: StrataHost): DeviceInfo[] {
  const out: DeviceInfo[] = [];
  for (const driver of host.system.io.drivers.values())
    for (const device of driver.deviceObjects) out.push(deviceInfo(device));
  return out;
}

function stackEntryInfo(entry: StackEntry, role: StackEntryInfo['role']): StackEntryInfo {
  return {
    driver: entry.driverName,
    device: entry.device.describe(),
    type: entry.deviceType,
    flags: entry.flags,
    stackSize: entry.stackSize,
    role,
  };
}

/** The filters above a volume device, top first. */
function filtersAbove(volumeDevice: DeviceObject): string[] {
  const out: string[] = [];
  for (let d = volumeDevice.attachedDevice; d !== null; d = d.attachedDevice)
    out.unshift(d.driverObject.driverName);
  return out;
}

export async function volumeInfo(host: StrataHost, record: VolumeRecord): Promise<VolumeInfo> {
  const vpb = record.device.vpb;
  const mounted = host.isMounted(record);
  // A share's "volume device" is HostFS's control device: it serves every share itself.
  const volumeDevice = !mounted
    ? null
    : vpb === null
      ? IopGetDeviceAttachmentBase(record.device)
      : vpb.deviceObject!;
  let sizeBytes: number | null = null;
  let freeBytes: number | null = null;
  if (mounted) {
    try {
      // An attributes-only open of the root does not mount anything that is not mounted already.
      const root = parseStrataPath(`${record.letter}\\`)!;
      const size = await host.files.withFile(
        root,
        { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE },
        'opening',
        (handle) => NtQueryVolumeInformationFile<FileFsSizeInfo>(host.process, handle, FileFsSizeInformation),
      );
      if (NT_SUCCESS(size.status) && size.info !== null) {
        const unit = size.info.sectorsPerAllocationUnit * size.info.bytesPerSector;
        sizeBytes = size.info.totalAllocationUnits * unit;
        freeBytes = size.info.availableAllocationUnits * unit;
      }
    } catch {
      // A volume that cannot answer still gets listed, without sizes.
    }
  }
  const reason = await readOnlyReason(host, record, mounted);
  return {
    letter: record.letter,
    device: record.target,
    source: record.source,
    hostPath: record.hostPath,
    readOnly: reason !== null,
    readOnlyReason: reason,
    mounted,
    fileSystem: volumeDevice?.driverObject.driverName ?? null,
    label: !mounted ? null : vpb === null ? record.share : vpb.volumeLabel,
    sizeBytes,
    freeBytes,
    filters: volumeDevice !== null ? filtersAbove(volumeDevice) : [],
  };
}

export async function listVolumes(host: StrataHost): Promise<VolumeInfo[]> {
  const out: VolumeInfo[] = [];
  for (const record of host.volumes.values()) out.push(await volumeInfo(host, record));
  return out;
}

/**
 * The device at the bottom of a storage device's volume stack: the mounted volume device, or
 * null when unmounted. A device without a VPB (a network file system's control device, which
 * serves its shares itself) is the base of its own volume stack.
 */
function volumeStackBase(storage: DeviceObject): DeviceObject | null {
  const vpb = storage.vpb;
  if (vpb === null) return IopGetDeviceAttachmentBase(storage);
  return (vpb.flags & VPB_MOUNTED) === 0 ? null : vpb.deviceObject;
}

/** The volume stack of a storage device, top first, down to the volume device; empty when unmounted. */
export function volumeStack(storage: DeviceObject): StackEntryInfo[] {
  const base = volumeStackBase(storage);
  if (base === null) return [];
  return deviceStack(base).map((e) => stackEntryInfo(e, e.device === base ? 'volume' : 'filter'));
}

/** The devices of a volume's stack (as volumeStack lists them), top first: what a detach may cut off. */
export function volumeStackDevices(storage: DeviceObject): DeviceObject[] {
  const base = volumeStackBase(storage);
  return base === null ? [] : deviceStack(base).map((e) => e.device);
}

/** `!devstack` for a volume: its volume stack, the VPB, and the storage stack under it. */
export function devstack(volume: string, storage: DeviceObject): DevstackResult {
  const vpb = storage.vpb;
  return {
    volume,
    stack: volumeStack(storage),
    vpb:
      vpb === null
        ? null
        : {
            realDevice: vpb.realDevice.describe(),
            mounted: (vpb.flags & VPB_MOUNTED) !== 0,
            volumeDevice: vpb.deviceObject?.describe() ?? null,
            label: vpb.volumeLabel,
            serialNumber: vpb.serialNumber,
          },
    storage: vpb === null ? [] : deviceStack(storage).map((e) => stackEntryInfo(e, 'storage')),
  };
}
