/**
 * The system methods of the control protocol: what is loaded and attached, and the commands that
 * change it (`load`, `unload`, `attach`, `detach`, `dismount`, `mount-image`). Loading goes through
 * IoLoadDriver by service name (ZwLoadDriver); attaching on demand is a private device control to
 * the filter's control device, sent from the session's own process as a user-mode tool would.
 */
import { isAbsolute } from 'node:path';
import {
  NT_SUCCESS,
  STATUS_IMAGE_ALREADY_LOADED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
} from '../../base/index.ts';
import { type DeviceObject, IoLoadDriver, IoUnloadDriver } from '../../io/index.ts';
import type {
  AttachResult,
  DevicesResult,
  DevstackResult,
  DismountResult,
  DriversResult,
  LoadResult,
  MountImageResult,
  VolumesResult,
} from '../control/index.ts';
import { closest } from './config-validate.ts';
import { InvalidParamsError, NtStatusError } from './errors.ts';
import type { StrataHost } from './host.ts';
import * as p from './params.ts';
import {
  describeDriver,
  devstack,
  listDevices,
  listDrivers,
  listVolumes,
  volumeInfo,
  volumeStack,
  volumeStackDevices,
} from './views.ts';

export function drivers(host: StrataHost): DriversResult {
  return {
    drivers: listDrivers(host),
    verifier: { enabled: host.config.verifier, violations: host.violations.map((v) => ({ ...v })) },
  };
}

export function devices(host: StrataHost): DevicesResult {
  return { devices: listDevices(host) };
}

export async function volumes(host: StrataHost): Promise<VolumesResult> {
  return { volumes: await listVolumes(host) };
}

/** The device a volume argument names: a drive letter's device, or a named device object. */
function resolveVolume(host: StrataHost, params: p.Params): { display: string; device: DeviceObject } {
  const named = p.volume(params);
  const letter = /^\\\?\?\\([A-Z]:)$/.exec(named.ntName)?.[1];
  if (letter !== undefined) {
    const record = host.volumes.get(letter);
    if (record === undefined)
      throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, 'finding the volume', named.display);
    return { display: named.display, device: record.device };
  }
  const object = host.system.ob.lookupNoParse(named.ntName);
  if (object === undefined || !(object.type.name === 'Device'))
    throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, 'finding the device', named.display);
  return { display: named.display, device: object as DeviceObject };
}

export function devstackOf(host: StrataHost, params: p.Params): DevstackResult {
  const { display, device } = resolveVolume(host, params);
  return devstack(display, device);
}

export function load(host: StrataHost, params: p.Params): LoadResult {
  const service = p.string(params, 'driver');
  const { status, driverObject } = IoLoadDriver(host.system, service);
  if (status === STATUS_IMAGE_ALREADY_LOADED || !NT_SUCCESS(status) || driverObject === null)
    throw new NtStatusError(status, 'loading the driver', service);
  return { driver: describeDriver(host, driverObject.serviceName) };
}

export function unload(host: StrataHost, params: p.Params): LoadResult {
  const service = p.string(params, 'driver');
  const status = IoUnloadDriver(host.system, service);
  if (!NT_SUCCESS(status))
    throw new NtStatusError(
      status,
      'unloading the driver',
      service,
      status === STATUS_INVALID_DEVICE_REQUEST
        ? 'the driver has no DriverUnload routine now; file systems refuse while volumes are mounted'
        : undefined,
    );
  return { driver: describeDriver(host, service) };
}

/** The sentence for a filter this build does not have, with the closest name when one is near. */
function noSuchFilter(host: StrataHost, service: string): string {
  const filters = host.catalogue.services.filter((name) => host.catalogue.get(name)?.onDemand != null);
  const guess = closest(service, filters);
  return `no such filter in this build${guess !== null ? `; did you mean ${guess}?` : ''}; the filters that attach on demand are ${filters.join(', ')}`;
}

export async function attach(host: StrataHost, params: p.Params, detach: boolean): Promise<AttachResult> {
  const service = p.string(params, 'filter');
  const { display, device } = resolveVolume(host, params);
  const entry = host.catalogue.get(service);
  const name = entry?.module.manifest.name ?? service;
  const action = `${detach ? 'detaching' : 'attaching'} ${name} ${detach ? 'from' : 'to'}`;
  if (entry === undefined || entry.onDemand === null)
    throw new NtStatusError(
      STATUS_INVALID_DEVICE_REQUEST,
      action,
      display,
      entry === undefined
        ? noSuchFilter(host, service)
        : `${name} has no control device to ask; it attaches by notification only`,
    );
  // A local file system's control device is no volume: a filter attached there sees only mount
  // and load requests (a network file system's control device is where its shares are served).
  const io = host.system.io;
  if (
    !detach &&
    [io.diskFileSystemQueue, io.cdRomFileSystemQueue, io.tapeFileSystemQueue].some((q) => q.includes(device))
  )
    throw new NtStatusError(
      STATUS_INVALID_PARAMETER,
      action,
      display,
      `it is the control device of ${device.driverObject.driverName}, not a volume; attach to a volume's letter, which strata volumes lists`,
    );
  if (!host.system.io.drivers.has(name.toUpperCase()))
    throw new NtStatusError(
      STATUS_OBJECT_NAME_NOT_FOUND,
      action,
      display,
      `${name} is not loaded; run \`strata load ${name}\` first`,
    );
  const keyText = p.optionalString(params, 'key');
  if (keyText !== null && (!entry.onDemand.needsKey || !/^[0-9a-fA-F]{64}$/.test(keyText)))
    throw new InvalidParamsError(
      entry.onDemand.needsKey ? 'Parameter "key" must be 64 hexadecimal digits.' : `${name} takes no key.`,
    );
  if (entry.onDemand.needsKey && !detach && keyText === null)
    throw new InvalidParamsError(
      `${name} needs a key to attach: 64 hexadecimal digits (strata attach ${name} ${display} --key …).`,
    );
  const key = keyText === null ? undefined : Uint8Array.from(Buffer.from(keyText, 'hex'));
  const before = volumeStackDevices(device);
  await host.attachOnDemand(name, display, detach, key !== undefined ? { key } : {});
  // IoDetachDevice does not splice (§4.4): filters that were above the one detached stay attached
  // to its device, off the volume's stack. Name them, since they no longer see the volume.
  const after = new Set(volumeStackDevices(device));
  const cutOff = detach
    ? before
        .filter((d) => !after.has(d) && d.driverObject.serviceName.toUpperCase() !== name.toUpperCase())
        .map((d) => d.driverObject.serviceName)
    : [];
  return { filter: name, volume: display, stack: volumeStack(device), cutOff };
}

export async function dismount(host: StrataHost, params: p.Params): Promise<DismountResult> {
  const named = p.volume(params);
  const record = host.volumes.get(named.display);
  if (record === undefined)
    throw new NtStatusError(
      STATUS_OBJECT_NAME_NOT_FOUND,
      'dismounting',
      named.display,
      'dismount takes a drive letter',
    );
  let locked = true;
  if (record.share === null) {
    const { lock, dismount: status } = await host.dismountVolume(record);
    if (!NT_SUCCESS(status)) throw new NtStatusError(status, 'dismounting', named.display);
    locked = NT_SUCCESS(lock);
  }
  // Images and shares go with their letter; a RAM disk stays and mounts again on the next access.
  // An image goes only with its last letter: another partition may still hold it.
  const removed = record.disk !== null || record.share !== null;
  const holding = removed ? host.volumes.remove(record.letter) : [];
  return {
    volume: named.display,
    locked,
    letterRemoved: removed,
    ejected: removed && holding.length === 0,
    imageHeldBy: holding,
    hostPath: record.hostPath,
  };
}

export async function mountImage(host: StrataHost, params: p.Params): Promise<MountImageResult> {
  const path = p.string(params, 'path');
  const letter = p.optionalString(params, 'letter');
  if (letter !== null && !/^[A-Z]:$/i.test(letter))
    throw new InvalidParamsError(
      `Parameter "letter" must be a drive letter like F:, got ${JSON.stringify(letter)}.`,
    );
  if (!isAbsolute(path)) throw new InvalidParamsError('Parameter "path" must be an absolute host path.');
  const mediaType = p.optionalString(params, 'mediaType');
  if (mediaType !== null && mediaType !== 'disk' && mediaType !== 'cdrom')
    throw new InvalidParamsError(
      `Parameter "mediaType" must be "disk" or "cdrom", got ${JSON.stringify(mediaType)}.`,
    );
  const { letters, unmounted } = await host.mountImage(
    path,
    letter?.toUpperCase() ?? null,
    p.boolean(params, 'readOnly'),
    mediaType,
  );
  const volumes = [];
  for (const l of letters) volumes.push(await volumeInfo(host, host.volumes.get(l)!));
  return { volume: volumes[0]!, volumes, unmounted };
}
