/**
 * IopParseDevice: the object manager reached a device with the rest of a name; open it.
 *
 * (Reference §5.3 open path, §4.3.) An open that names the device itself with attributes-only
 * access is a direct device open: it does not mount and goes to the top of the device's own stack.
 * Every other open of a storage device makes sure its volume is mounted (raw mount allowed only when
 * the open names the volume itself), takes a VPB reference, and goes to the top of the mounted
 * volume's stack. The IRP_MJ_CREATE carries a fresh file object; the file system fills it in.
 *
 * Ownership: the new file object holds an I/O reference on the device and a VPB reference from the
 * moment the IRP is sent; on failure both are returned and the file object is dropped without an
 * IRP_MJ_CLOSE (the file system never saw a successful create).
 */
import {
  ACCESS_SYSTEM_SECURITY,
  FILE_NO_INTERMEDIATE_BUFFERING,
  FILE_RANDOM_ACCESS,
  FILE_READ_ATTRIBUTES,
  FILE_SEQUENTIAL_ONLY,
  FILE_SYNCHRONOUS_IO_ALERT,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_THROUGH,
  FO_ALERTABLE_IO,
  FO_DIRECT_DEVICE_OPEN,
  FO_NO_INTERMEDIATE_BUFFERING,
  FO_RANDOM_ACCESS,
  FO_SEQUENTIAL_ONLY,
  FO_SYNCHRONOUS_IO,
  FO_VOLUME_OPEN,
  FO_WRITE_THROUGH,
  IRP_CREATE_OPERATION,
  IRP_MJ_CREATE,
  IRP_SYNCHRONOUS_API,
  isPromise,
  type MaybePromise,
  NT_SUCCESS,
  type NTSTATUS,
  READ_CONTROL,
  SL_OPEN_TARGET_DIRECTORY,
  STATUS_DRIVER_INTERNAL_ERROR,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_PENDING,
  STATUS_REPARSE,
  STATUS_SUCCESS,
  STATUS_VERIFY_REQUIRED,
  SYNCHRONIZE,
  WRITE_DAC,
  WRITE_OWNER,
  whenReady,
} from '../base/index.ts';
import type { ParseResult } from '../ob/index.ts';
import { ObReferenceObject } from '../ob/index.ts';
import { IoCallDriver } from './call-driver.ts';
import { type DeviceObject, IopDereferenceDeviceObject } from './device-object.ts';
import { IoGetAttachedDevice } from './device-stack.ts';
import { FileObject } from './file-object.ts';
import { IoAllocateIrp, IoGetNextIrpStackLocation, type Irp } from './irp.ts';
import { IopCheckVpbMounted, IoVerifyVolume } from './mount.ts';
import type { OpenPacket } from './open-packet.ts';
import type { Vpb } from './vpb.ts';

/** Access that does not need a mounted file system (ReactOS IopParseDevice). */
const ATTRIBUTES_ONLY_ACCESS =
  SYNCHRONIZE | FILE_READ_ATTRIBUTES | READ_CONTROL | ACCESS_SYSTEM_SECURITY | WRITE_OWNER | WRITE_DAC;

const MAX_VERIFY_RETRIES = 2;

export function IopParseDevice(
  device: DeviceObject,
  remainingName: string,
  packet: OpenPacket,
): MaybePromise<ParseResult> {
  if (packet.isOpen !== true) {
    return remainingName === ''
      ? { status: STATUS_SUCCESS, object: device }
      : { status: STATUS_OBJECT_PATH_NOT_FOUND, object: null };
  }
  const related = packet.relatedFileObject;
  const directOpen = related === null && remainingName === '';
  const attributesOnly = (packet.desiredAccess & ~ATTRIBUTES_ONLY_ACCESS) === 0;

  if (related !== null) {
    // Relative opens go where the related file went, through its VPB, without a mount check.
    const vpb = related.vpb;
    if (vpb !== null) vpb.referenceCount++;
    return sendCreate(related.deviceObject, vpb, remainingName, packet, false);
  }
  if (device.vpb !== null && !(directOpen && attributesOnly)) {
    const mounted = IopCheckVpbMounted(device, directOpen);
    return whenReady(mounted, ({ status, vpb }) =>
      NT_SUCCESS(status)
        ? sendCreate(device, vpb, remainingName, packet, directOpen)
        : { status, object: null },
    );
  }
  return sendCreate(device, null, remainingName, packet, directOpen);
}

/** The FO_* flags the create options give a new file object (IopParseDevice). */
function fileObjectFlagsFor(options: number): number {
  let flags = 0;
  if ((options & FILE_SYNCHRONOUS_IO_ALERT) !== 0) flags |= FO_SYNCHRONOUS_IO | FO_ALERTABLE_IO;
  else if ((options & FILE_SYNCHRONOUS_IO_NONALERT) !== 0) flags |= FO_SYNCHRONOUS_IO;
  if ((options & FILE_NO_INTERMEDIATE_BUFFERING) !== 0) flags |= FO_NO_INTERMEDIATE_BUFFERING;
  if ((options & FILE_WRITE_THROUGH) !== 0) flags |= FO_WRITE_THROUGH;
  if ((options & FILE_SEQUENTIAL_ONLY) !== 0) flags |= FO_SEQUENTIAL_ONLY;
  if ((options & FILE_RANDOM_ACCESS) !== 0) flags |= FO_RANDOM_ACCESS;
  return flags;
}

function sendCreate(
  device: DeviceObject,
  vpb: Vpb | null,
  remainingName: string,
  packet: OpenPacket,
  directOpen: boolean,
): MaybePromise<ParseResult> {
  const target =
    vpb !== null && vpb.deviceObject !== null
      ? IoGetAttachedDevice(vpb.deviceObject)
      : IoGetAttachedDevice(device);
  const fileObject = new FileObject(device, remainingName, packet.relatedFileObject, packet.process);
  fileObject.vpb = vpb;
  device.system.io.fileCreated(fileObject);
  fileObject.flags |= fileObjectFlagsFor(packet.createOptions);
  if (directOpen) fileObject.flags |= vpb !== null ? FO_VOLUME_OPEN : FO_DIRECT_DEVICE_OPEN;
  device.referenceCount++;

  const irp = IoAllocateIrp(target.stackSize);
  irp.flags = IRP_CREATE_OPERATION | IRP_SYNCHRONOUS_API;
  irp.requestorMode = packet.kernelMode ? 'KernelMode' : 'UserMode';
  irp.originalFileObject = fileObject;
  irp.process = packet.process;
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = IRP_MJ_CREATE;
  location.flags = packet.openTargetDirectory ? SL_OPEN_TARGET_DIRECTORY : 0;
  location.fileObject = fileObject;
  location.parameters = {
    desiredAccess: packet.desiredAccess,
    options: ((packet.createDisposition & 0xff) << 24) | (packet.createOptions & 0x00ffffff),
    fileAttributes: packet.fileAttributes,
    shareAccess: packet.shareAccess,
  };

  const returned = IoCallDriver(target, irp);
  if (!irp.completed) {
    if (returned === STATUS_PENDING) {
      return new Promise<ParseResult>((resolve) => {
        irp.onCompleted = (done) => resolve(finishCreate(done, fileObject, device, vpb, packet));
      }).then((result) => retryAfterVerify(result, device, packet));
    }
    // A status returned without completing the IRP is a driver bug: the IRP's own status says
    // nothing (a refused open would read as a success), so the open fails as every service does.
    irp.ioStatus.status = STATUS_DRIVER_INTERNAL_ERROR;
    irp.ioStatus.information = 0;
  }
  const result = finishCreate(irp, fileObject, device, vpb, packet);
  return retryAfterVerify(result, device, packet);
}

/** What the I/O manager does once the create IRP is complete (IopParseDevice's tail). */
function finishCreate(
  irp: Irp,
  fileObject: FileObject,
  device: DeviceObject,
  vpb: Vpb | null,
  packet: OpenPacket,
): ParseResult {
  const status: NTSTATUS = irp.ioStatus.status;
  packet.information = irp.ioStatus.information;
  if (NT_SUCCESS(status) && status !== STATUS_REPARSE) {
    ObReferenceObject(fileObject);
    packet.fileObject = fileObject;
    return { status, object: fileObject };
  }
  // The file system did not open anything: undo the references, send no close.
  fileObject.deleted = true;
  fileObject.closed = true;
  if (vpb !== null && vpb.referenceCount > 0) vpb.referenceCount--;
  IopDereferenceDeviceObject(device);
  if (status === STATUS_REPARSE) return { status, object: null, reparseName: fileObject.fileName };
  return { status, object: null };
}

/** STATUS_VERIFY_REQUIRED: verify the volume, then open again (bounded). */
function retryAfterVerify(
  result: ParseResult,
  device: DeviceObject,
  packet: OpenPacket,
): MaybePromise<ParseResult> {
  if (
    result.status !== STATUS_VERIFY_REQUIRED ||
    packet.verifyRetries >= MAX_VERIFY_RETRIES ||
    packet.originalName === null
  ) {
    return result;
  }
  packet.verifyRetries++;
  const verified = IoVerifyVolume(device, false);
  const reparse = (): ParseResult => ({
    status: STATUS_REPARSE,
    object: null,
    reparseName: packet.originalName!,
  });
  return isPromise(verified) ? verified.then(reparse) : reparse();
}
