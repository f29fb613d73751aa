/**
 * IRP_MJ_CREATE for CDFS (CdCommonCreate, CdNormalizeFileNames, CdCompleteFcbOpen): open a file,
 * a directory or the volume. Nothing can be created or changed on a CD.
 *
 * Order of checks, after CDFS's: an open of the control device succeeds at once; a create
 * (FILE_CREATE) or a rename target open (SL_OPEN_TARGET_DIRECTORY) is refused before the name is
 * looked at; the volume must be mounted and not locked; the name (wildcards are
 * STATUS_OBJECT_NAME_INVALID) is walked (lookup.ts); a missing name is STATUS_OBJECT_NAME_NOT_FOUND
 * for FILE_OPEN and FILE_OVERWRITE and refused for the dispositions that would create it; file
 * versus directory (a file named with a trailing backslash is STATUS_NOT_A_DIRECTORY, CDFS's
 * answer, where FastFat's is STATUS_OBJECT_NAME_INVALID); any disposition but FILE_OPEN /
 * FILE_OPEN_IF is refused; so is access that could change the file (write data, append, write
 * attributes or EAs, add file or subdirectory, delete child, DELETE, WRITE_DAC; a volume open may
 * ask for write data, for the lock and dismount tools that do, and its writes go to the disc,
 * which refuses them). Then share access.
 *
 * Every refusal of a change is STATUS_MEDIA_WRITE_PROTECTED. Windows CDFS answers
 * STATUS_ACCESS_DENIED in these places; docs/deviations.md says why Strata does not.
 *
 * Opening by file ID is not supported (STATUS_INVALID_PARAMETER).
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import {
  DELETE,
  FILE_ADD_FILE,
  FILE_ADD_SUBDIRECTORY,
  FILE_APPEND_DATA,
  FILE_CREATE,
  FILE_DELETE_CHILD,
  FILE_OPEN,
  FILE_OPEN_BY_FILE_ID,
  FILE_OPEN_IF,
  FILE_OPEN_REPARSE_POINT,
  FILE_OPENED,
  FILE_OVERWRITE,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FILE_WRITE_EA,
  WRITE_DAC,
} from '../../../base/file-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type CreateRequest,
  completeRequest,
  completeWhenDone,
  createRequestOf,
  type DeviceObject,
  FsRtlDoesNameContainWildCards,
  IoCheckShareAccess,
  IoGetCurrentIrpStackLocation,
  type Irp,
  MAX_COMPONENT_LENGTH,
  openVolumeFileObject,
  parsePath,
} from '../../../io/index.ts';
import { checkMounted } from './common.ts';
import { lookupPath } from './lookup.ts';
import { Ccb, CdfsControl, type CdNode, Fcb, type Vcb, vcbOf } from './structures.ts';

/** Access CDFS refuses on files and directories (CdIllegalFcbAccess). */
const CHANGING_ACCESS =
  FILE_WRITE_ATTRIBUTES |
  FILE_WRITE_DATA |
  FILE_WRITE_EA |
  FILE_ADD_FILE |
  FILE_ADD_SUBDIRECTORY |
  FILE_APPEND_DATA |
  FILE_DELETE_CHILD |
  DELETE |
  WRITE_DAC;
/** What a volume open may not ask for. */
const CHANGING_VOLUME_ACCESS = FILE_DELETE_CHILD | DELETE | WRITE_DAC;

/** A component CDFS will look up: not empty, not "." or "..", no wildcards. */
function isLookupComponent(component: string): boolean {
  return (
    component.length > 0 &&
    component.length <= MAX_COMPONENT_LENGTH &&
    component !== '.' &&
    component !== '..' &&
    !FsRtlDoesNameContainWildCards(component)
  );
}

export function CdfsCreate(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  if (device.deviceExtension instanceof CdfsControl) {
    fileObject.fsContext = device.deviceExtension;
    return completeRequest(irp, STATUS_SUCCESS, FILE_OPENED);
  }
  const vcb = vcbOf(device);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const request = createRequestOf(location);
  if (request.openTargetDirectory || request.disposition === FILE_CREATE)
    return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
  if ((request.options & FILE_OPEN_BY_FILE_ID) !== 0) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  // The I/O manager refuses opens of a locked volume; relative opens skip its check, so repeat it.
  if ((vcb.vpb.flags & VPB_LOCKED) !== 0) return completeRequest(irp, STATUS_ACCESS_DENIED);
  return create(vcb, request, irp);
}

function create(vcb: Vcb, request: CreateRequest, irp: Irp): NTSTATUS {
  const fileObject = request.fileObject;
  const related = fileObject.relatedFileObject;
  let start = vcb.root;
  if (related !== null) {
    const relatedContext = related.fsContext;
    if (relatedContext === vcb) {
      if (fileObject.fileName !== '') return completeRequest(irp, STATUS_INVALID_PARAMETER);
      const status = openVolume(vcb, request);
      return completeRequest(irp, status, NT_SUCCESS(status) ? FILE_OPENED : 0);
    }
    if (!(relatedContext instanceof Fcb) || relatedContext.vcb !== vcb)
      return completeRequest(irp, STATUS_INVALID_PARAMETER);
    start = relatedContext.node;
    if (!start.isDirectory && fileObject.fileName !== '')
      return completeRequest(irp, STATUS_OBJECT_PATH_NOT_FOUND);
  } else if (fileObject.fileName === '') {
    const status = openVolume(vcb, request);
    return completeRequest(irp, status, NT_SUCCESS(status) ? FILE_OPENED : 0);
  }
  const path = parsePath(fileObject.fileName, related !== null, isLookupComponent);
  if (path.status !== STATUS_SUCCESS) return completeRequest(irp, path.status);
  const followFinal = (request.options & FILE_OPEN_REPARSE_POINT) === 0;
  return completeWhenDone(irp, (finish) =>
    lookupPath(vcb, start, path.components, followFinal, (status, node) => {
      const result =
        node === null ? missing(request, status) : openNode(vcb, request, node, path.trailingBackslash);
      finish(result, NT_SUCCESS(result) ? FILE_OPENED : 0);
    }),
  );
}

/** The status for a name that was not found: creating it is a write. */
function missing(request: CreateRequest, status: NTSTATUS): NTSTATUS {
  if (status !== STATUS_OBJECT_NAME_NOT_FOUND) return status;
  return request.disposition === FILE_OPEN || request.disposition === FILE_OVERWRITE
    ? STATUS_OBJECT_NAME_NOT_FOUND
    : STATUS_MEDIA_WRITE_PROTECTED;
}

function openVolume(vcb: Vcb, request: CreateRequest): NTSTATUS {
  if (request.disposition !== FILE_OPEN && request.disposition !== FILE_OPEN_IF)
    return STATUS_MEDIA_WRITE_PROTECTED;
  if (request.directoryFile) return STATUS_NOT_A_DIRECTORY;
  if ((request.desiredAccess & CHANGING_VOLUME_ACCESS) !== 0) return STATUS_MEDIA_WRITE_PROTECTED;
  return openVolumeFileObject(request, vcb, new Ccb());
}

function openNode(vcb: Vcb, request: CreateRequest, node: CdNode, trailingBackslash: boolean): NTSTATUS {
  const fileObject = request.fileObject;
  if (node.isDirectory) {
    if (request.nonDirectoryFile) return STATUS_FILE_IS_A_DIRECTORY;
  } else if (request.directoryFile || trailingBackslash) {
    return STATUS_NOT_A_DIRECTORY;
  }
  if (request.disposition !== FILE_OPEN && request.disposition !== FILE_OPEN_IF)
    return STATUS_MEDIA_WRITE_PROTECTED;
  if ((request.desiredAccess & CHANGING_ACCESS) !== 0) return STATUS_MEDIA_WRITE_PROTECTED;
  const fcb = node.fcb ?? new Fcb(node, vcb);
  const shared = IoCheckShareAccess(
    request.desiredAccess,
    request.shareAccess,
    fileObject,
    fcb.shareAccess,
    true,
  );
  if (shared !== STATUS_SUCCESS) return shared;
  node.fcb = fcb;
  fcb.openCount++;
  vcb.openCount++;
  fileObject.fsContext = fcb;
  fileObject.fsContext2 = new Ccb();
  return STATUS_SUCCESS;
}
