/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION and IRP_MJ_SET_VOLUME_INFORMATION for FAT (FastFat's volinfo.c).
 *
 * - FileFsVolumeInformation: the serial number from the boot sector, the label from the root
 *   directory's volume-label entry (what Windows shows; a volume whose root has none shows no
 *   label, whatever the boot sector says), creation time 0 as FastFat reports it.
 * - FileFsSizeInformation / FileFsFullSizeInformation: in clusters; the free count is exact (the
 *   FAT is counted at mount and kept up to date).
 * - FileFsAttributeInformation: "FAT" or "FAT32", case-preserving, Unicode names of 255 units.
 * - FileFsLabelInformation (set): the label is upcased to the OEM code page, as FastFat does, and
 *   must be at most 11 bytes without control characters or `*?.,;:/\|+=<>[]"` (else
 *   STATUS_INVALID_VOLUME_LABEL). It goes into the root directory's label entry (created, updated,
 *   or deleted for an empty label) and, so fsck.fat and mtools agree, into the boot sector's label
 *   field as well ("NO NAME" when empty).
 * The records are FAT_VOLUME_FACTS below; the buffer rules (short buffers, cut names) are the I/O
 * library's queryVolumeInformation. Unknown query classes are STATUS_INVALID_INFO_CLASS.
 */
import {
  FILE_CASE_PRESERVED_NAMES,
  FILE_READ_ONLY_VOLUME,
  FILE_UNICODE_ON_DISK,
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
  STATUS_DISK_FULL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  fsDeviceInfoOf,
  IoGetCurrentIrpStackLocation,
  type Irp,
  MAX_COMPONENT_LENGTH,
  queryVolumeInformation,
  requestedVolumeLabel,
  type VolumeFacts,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import { decodeLabel, loadDirectory } from './directory-contents.ts';
import { growDirectory, markDirty, planSlots } from './directory-entries.ts';
import { encodeFormatLabel } from './format.ts';
import { fatFsdCall, raise } from './irp-context.ts';
import { ATTR_VOLUME_ID, bootLabelOffset, DIRENT_DELETED, DIRENT_SIZE, writeDirent } from './on-disk.ts';
import type { Vcb } from './structures.ts';
import { msToFatTimestamp } from './timestamps.ts';
import { noteVolumeChange } from './volume-state.ts';

export function fileSystemName(vcb: Vcb): string {
  return vcb.layout.fatType === 32 ? 'FAT32' : 'FAT';
}

const FAT_VOLUME_FACTS: VolumeFacts<Vcb> = {
  unsupportedClass: STATUS_INVALID_INFO_CLASS,
  volumeInfo: (vcb) => ({
    volumeCreationTime: 0,
    volumeSerialNumber: vcb.layout.serialNumber,
    volumeLabel: vcb.label,
    supportsObjects: false,
  }),
  sizeInfo: ({ layout, fat }) => ({
    totalAllocationUnits: layout.clusterCount,
    callerAvailableAllocationUnits: fat.freeCount,
    actualAvailableAllocationUnits: fat.freeCount,
    sectorsPerAllocationUnit: layout.sectorsPerCluster,
    bytesPerSector: layout.bytesPerSector,
  }),
  deviceInfo: (vcb) => fsDeviceInfoOf(vcb.realDevice),
  attributeInfo: (vcb) => ({
    fileSystemAttributes:
      FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK | (vcb.readOnly ? FILE_READ_ONLY_VOLUME : 0),
    maximumComponentNameLength: MAX_COMPONENT_LENGTH,
    fileSystemName: fileSystemName(vcb),
  }),
};

export function FatQueryVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  return queryVolumeInformation(irp, FAT_VOLUME_FACTS, vcb);
}

/** Writes the label into the root's label entry (creating or deleting it) and the boot sector. */
function setLabel(vcb: Vcb, raw: Uint8Array | null): void {
  const contents = loadDirectory(vcb, vcb.root);
  let slot = vcb.labelSlot;
  let grow = 0;
  if (raw !== null && slot < 0) {
    const plan = planSlots(vcb, contents, 1);
    if (vcb.fat.freeCount < plan.grow) raise(STATUS_DISK_FULL);
    slot = plan.start;
    grow = plan.grow;
  }
  noteVolumeChange(vcb);
  if (grow > 0) growDirectory(vcb, contents);
  if (slot >= 0) {
    const at = slot * DIRENT_SIZE;
    if (raw === null) {
      contents.bytes[at] = DIRENT_DELETED;
      contents.used[slot] = 0;
      contents.holes++;
      vcb.labelSlot = -1;
    } else {
      const name = raw.slice();
      if (name[0] === DIRENT_DELETED) name[0] = 0x05;
      const stamp = msToFatTimestamp(vcb.realDevice.system.now(), true) ?? { date: 0x21, time: 0, tenths: 0 };
      writeDirent(
        contents.bytes,
        at,
        {
          name,
          attributes: ATTR_VOLUME_ID,
          ntByte: 0,
          creationTenths: 0,
          creationTime: stamp.time,
          creationDate: stamp.date,
          accessDate: stamp.date,
          writeTime: stamp.time,
          writeDate: stamp.date,
          firstCluster: 0,
          fileSize: 0,
        },
        vcb.layout.fatType === 32,
      );
      if (contents.used[slot] === 0 && slot < contents.endSlot) contents.holes--;
      contents.used[slot] = 1;
      if (slot >= contents.endSlot) contents.endSlot = slot + 1;
      vcb.labelSlot = slot;
    }
    markDirty(vcb, contents, slot, slot);
  }
  const offset = bootLabelOffset(vcb.layout.fatType === 32);
  vcb.bootSector.set(raw ?? vcb.codePage.encode('NO NAME    ')!, offset);
  vcb.bootSectorDirty = true;
  vcb.label = raw === null ? '' : decodeLabel(vcb, raw);
  vcb.vpb.volumeLabel = vcb.label;
}

export function FatSetVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const label = requestedVolumeLabel(irp);
  if (label === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const upper = label.toUpperCase();
  const raw = upper.length === 0 ? null : encodeFormatLabel(upper.length === label.length ? upper : label);
  if (upper.length > 0 && raw === null) return completeRequest(irp, STATUS_INVALID_VOLUME_LABEL);
  if (vcb.readOnly) return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
  return fatFsdCall(irp, () => {
    setLabel(vcb, raw);
    return completeRequest(irp, STATUS_SUCCESS);
  });
}
