/**
 * Small pieces every HostFS dispatch routine uses: finding what a file object
 * opened, and the rule that a removed share refuses everything but cleanup and close
 * (STATUS_NETWORK_NAME_DELETED, what a redirector reports when the server deleted the share).
 */
import { type NTSTATUS, STATUS_NETWORK_NAME_DELETED, STATUS_SUCCESS } from '../../base/index.ts';
import type { FileObject } from '../../io/index.ts';
import { Ccb, Fcb, type HostFsData } from './structures.ts';

/** The FCB of a file or directory open, or null for a control-device open (or a foreign one). */
export function fcbOf(fileObject: FileObject | null): Fcb | null {
  const context = fileObject?.fsContext;
  return context instanceof Fcb ? context : null;
}

export function ccbOf(fileObject: FileObject | null): Ccb | null {
  const context = fileObject?.fsContext2;
  return context instanceof Ccb ? context : null;
}

/** STATUS_SUCCESS while the open's share still exists. */
export function checkShare(fcb: Fcb): NTSTATUS {
  return fcb.share.removed ? STATUS_NETWORK_NAME_DELETED : STATUS_SUCCESS;
}

/** DriverUnload is offered only while nothing is open on HostFS (as MemFS does with volumes). */
export function updateUnload(data: HostFsData, fileObject: FileObject): void {
  const driver = fileObject.deviceObject.driverObject;
  driver.driverUnload = data.openCount === 0 ? data.unload : null;
}
