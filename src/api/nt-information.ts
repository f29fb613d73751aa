/**
 * NtQueryInformationFile / NtSetInformationFile.
 *
 * Query: the I/O manager first refuses a class that cannot be queried (STATUS_INVALID_INFO_CLASS)
 * and a buffer shorter than the class's fixed part (STATUS_INFO_LENGTH_MISMATCH), as
 * IopQueryOperationLength decides, before it even looks at the handle. It answers access, mode, alignment and (for synchronous file
 * objects) position itself, as NT does; every other class goes to the file system, which returns
 * the record in Irp.systemBuffer.
 * Set: the record travels in Irp.systemBuffer. Rename and link with a full target name open the
 * target's parent directory first (SL_OPEN_TARGET_DIRECTORY) and hand it to the file system in
 * Parameters.SetFile.FileObject; a target on another volume is STATUS_NOT_SAME_DEVICE.
 * The access each class needs is checked against the handle before any driver is called.
 */
import {
  DELETE,
  FILE_ADD_FILE,
  FILE_ADD_SUBDIRECTORY,
  FILE_DELETE_ON_CLOSE,
  FILE_NO_INTERMEDIATE_BUFFERING,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  FILE_SEQUENTIAL_ONLY,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_ALERT,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FILE_WRITE_THROUGH,
  type FileAccessInfo,
  FileAccessInformation,
  type FileAlignmentInfo,
  FileAlignmentInformation,
  FileAllInformation,
  FileAllocationInformation,
  FileAttributeTagInformation,
  FileBasicInformation,
  FileDispositionInformation,
  FileDispositionInformationEx,
  FileEndOfFileInformation,
  FileLinkInformation,
  type FileModeInfo,
  FileModeInformation,
  FileNetworkOpenInformation,
  type FilePositionInfo,
  FilePositionInformation,
  type FileRenameInfo,
  FileRenameInformation,
  FO_ALERTABLE_IO,
  FO_DELETE_ON_CLOSE,
  FO_NO_INTERMEDIATE_BUFFERING,
  FO_SEQUENTIAL_ONLY,
  FO_SYNCHRONOUS_IO,
  FO_WRITE_THROUGH,
  IRP_MJ_QUERY_INFORMATION,
  IRP_MJ_SET_INFORMATION,
  type MaybePromise,
  NT_ERROR,
  NT_SUCCESS,
  type NTSTATUS,
  queryOperationLength,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_SAME_DEVICE,
  STATUS_SUCCESS,
  SYNCHRONIZE,
  whenReady,
} from '../base/index.ts';
import { type FileObject, IoCreateFile, IoGetRelatedDeviceObject, type System } from '../io/index.ts';
import { type Handle, ObDereferenceObject, type Process } from '../ob/index.ts';
import { referenceFileByHandle } from './file-handle.ts';
import { buildFileIrp, callAndMap } from './service-tail.ts';

export interface QueryResult<T> {
  status: NTSTATUS;
  /** The record, or null when the query failed. */
  info: T | null;
}

/** Access a query of each class needs (0: any handle will do): IopQueryOperationAccess. */
function queryAccess(infoClass: number): number {
  switch (infoClass) {
    case FileBasicInformation:
    case FileAllInformation:
    case FileNetworkOpenInformation:
    case FileAttributeTagInformation:
      return FILE_READ_ATTRIBUTES;
    default:
      return 0;
  }
}

/** Access a set of each class needs. */
function setAccess(infoClass: number): number {
  switch (infoClass) {
    case FileBasicInformation:
      return FILE_WRITE_ATTRIBUTES;
    case FileEndOfFileInformation:
    case FileAllocationInformation:
      return FILE_WRITE_DATA;
    case FileDispositionInformation:
    case FileDispositionInformationEx:
    case FileRenameInformation:
      return DELETE;
    default:
      return 0;
  }
}

/** The classes NtQueryInformationFile answers from the file object, without an IRP; null for the others. */
function answeredByIoManager(
  fileObject: FileObject,
  infoClass: number,
  grantedAccess: number,
): object | null {
  switch (infoClass) {
    case FileAccessInformation:
      return { accessFlags: grantedAccess } satisfies FileAccessInfo;
    case FileModeInformation:
      return { mode: fileModeOf(fileObject) } satisfies FileModeInfo;
    case FileAlignmentInformation:
      return {
        alignmentRequirement: IoGetRelatedDeviceObject(fileObject).alignmentRequirement,
      } satisfies FileAlignmentInfo;
    case FilePositionInformation:
      return (fileObject.flags & FO_SYNCHRONOUS_IO) !== 0
        ? ({ currentByteOffset: fileObject.currentByteOffset } satisfies FilePositionInfo)
        : null;
    default:
      return null;
  }
}

/** The create options a file object keeps, as FILE_MODE_INFORMATION reports them. */
function fileModeOf(fileObject: FileObject): number {
  let mode = 0;
  if ((fileObject.flags & FO_SYNCHRONOUS_IO) !== 0)
    mode |=
      (fileObject.flags & FO_ALERTABLE_IO) !== 0 ? FILE_SYNCHRONOUS_IO_ALERT : FILE_SYNCHRONOUS_IO_NONALERT;
  if ((fileObject.flags & FO_WRITE_THROUGH) !== 0) mode |= FILE_WRITE_THROUGH;
  if ((fileObject.flags & FO_SEQUENTIAL_ONLY) !== 0) mode |= FILE_SEQUENTIAL_ONLY;
  if ((fileObject.flags & FO_NO_INTERMEDIATE_BUFFERING) !== 0) mode |= FILE_NO_INTERMEDIATE_BUFFERING;
  if ((fileObject.flags & FO_DELETE_ON_CLOSE) !== 0) mode |= FILE_DELETE_ON_CLOSE;
  return mode;
}

export function NtQueryInformationFile<T = unknown>(
  process: Process,
  handle: Handle,
  fileInformationClass: number,
  length = 4096,
): MaybePromise<QueryResult<T>> {
  // The class and the buffer are checked before the handle, in NT's order.
  const minimum = queryOperationLength(fileInformationClass);
  if (minimum === 0) return { status: STATUS_INVALID_INFO_CLASS, info: null };
  if (!Number.isInteger(length) || length < minimum)
    return { status: STATUS_INFO_LENGTH_MISMATCH, info: null };
  const resolved = referenceFileByHandle(process, handle, queryAccess(fileInformationClass));
  const fileObject = resolved.fileObject;
  if (fileObject === null) return { status: resolved.status, info: null };
  const answered = answeredByIoManager(fileObject, fileInformationClass, resolved.grantedAccess);
  if (answered !== null) return { status: STATUS_SUCCESS, info: answered as T };
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = buildFileIrp(target, fileObject, IRP_MJ_QUERY_INFORMATION, 0, { length, fileInformationClass });
  return callAndMap(target, irp, (done) => {
    const status = done.ioStatus.status;
    return { status, info: NT_ERROR(status) ? null : (done.systemBuffer as T) };
  });
}

export function NtSetInformationFile(
  system: System,
  process: Process,
  handle: Handle,
  fileInformationClass: number,
  info: unknown,
): MaybePromise<NTSTATUS> {
  const resolved = referenceFileByHandle(process, handle, setAccess(fileInformationClass));
  const fileObject = resolved.fileObject;
  if (fileObject === null) return resolved.status;
  if (typeof info !== 'object' || info === null) return STATUS_INVALID_PARAMETER;
  if (fileInformationClass === FilePositionInformation && (fileObject.flags & FO_SYNCHRONOUS_IO) !== 0) {
    const offset = (info as FilePositionInfo).currentByteOffset;
    if (!Number.isSafeInteger(offset) || offset < 0) return STATUS_INVALID_PARAMETER;
    fileObject.currentByteOffset = offset;
    return STATUS_SUCCESS;
  }
  if (fileInformationClass === FileRenameInformation || fileInformationClass === FileLinkInformation) {
    return setRenameOrLink(system, process, fileObject, fileInformationClass, info as FileRenameInfo);
  }
  return sendSet(fileObject, fileInformationClass, info, null, false);
}

function sendSet(
  fileObject: FileObject,
  fileInformationClass: number,
  info: unknown,
  targetDirectory: FileObject | null,
  replaceIfExists: boolean,
): MaybePromise<NTSTATUS> {
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = buildFileIrp(target, fileObject, IRP_MJ_SET_INFORMATION, 0, {
    length: 0,
    fileInformationClass,
    fileObject: targetDirectory,
    replaceIfExists,
  });
  irp.systemBuffer = info;
  return callAndMap(target, irp, (done) => done.ioStatus.status);
}

function setRenameOrLink(
  system: System,
  process: Process,
  fileObject: FileObject,
  fileInformationClass: number,
  info: FileRenameInfo,
): MaybePromise<NTSTATUS> {
  if (typeof info.fileName !== 'string' || info.fileName.length === 0) return STATUS_INVALID_PARAMETER;
  const rootHandle = info.rootDirectory as Handle | null | undefined;
  const simple = (rootHandle === undefined || rootHandle === null) && !info.fileName.includes('\\');
  const record: FileRenameInfo = {
    replaceIfExists: Boolean(info.replaceIfExists),
    rootDirectory: null,
    fileName: info.fileName,
  };
  if (simple) return sendSet(fileObject, fileInformationClass, record, null, record.replaceIfExists);

  let rootDirectory: FileObject | null = null;
  if (rootHandle !== undefined && rootHandle !== null) {
    const root = referenceFileByHandle(process, rootHandle, 0);
    if (root.fileObject === null) return root.status;
    rootDirectory = root.fileObject;
  }
  const opened = IoCreateFile(system, process, {
    objectName: info.fileName,
    rootDirectory,
    desiredAccess: FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY | SYNCHRONIZE,
    shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE,
    createDisposition: FILE_OPEN,
    openTargetDirectory: true,
  });
  return whenReady(opened, ({ status, fileObject: target }) => {
    if (!NT_SUCCESS(status) || target === null) return status;
    const release = (result: NTSTATUS): NTSTATUS => {
      ObDereferenceObject(target);
      return result;
    };
    // IopOpenLinkOrRenameTarget's test: both opens must lead to the same device stack. Comparing
    // VPBs alone would refuse every rename on a network file system, whose opens have no VPB.
    if (IoGetRelatedDeviceObject(target) !== IoGetRelatedDeviceObject(fileObject))
      return release(STATUS_NOT_SAME_DEVICE);
    return whenReady(
      sendSet(fileObject, fileInformationClass, record, target, record.replaceIfExists),
      release,
    );
  });
}
