/**
 * IRP_MN_MOUNT_VOLUME and IRP_MN_VERIFY_VOLUME for CDFS (CdMountVolume, CdFindPrimaryVd,
 * CdFindActiveVolDescriptor, CdVerifyVolume).
 *
 * Recognition: logical sector 16 must carry "CD001"; the descriptor set is read one sector at a
 * time until the terminator (type 255), a sector that is not a descriptor, a version other than 1,
 * or 64 descriptors. The first primary descriptor is required; the first supplementary descriptor
 * with a Joliet escape sequence is Joliet. Anything else is STATUS_UNRECOGNIZED_VOLUME, so the I/O
 * manager asks the next file system. High Sierra ("CDROM") discs are not recognised.
 *
 * The name set follows the driver's `preferredNames` (structures.ts): Rock Ridge is detected on the
 * primary root's "." record (SP, then ER or RRIP entries, through CE areas). The serial number and
 * label are those Windows shows: CdSerial32 and the identifier of the Joliet descriptor when the
 * disc has one (unless the preference is plain ISO 9660), else of the primary.
 *
 * Corrupt descriptors (logical block size not 512, 1024 or 2048; a root record that is missing,
 * not a directory, or outside the disc) are STATUS_DISK_CORRUPT_ERROR: the disc is ISO 9660 but
 * unusable, and the mount walk stops there instead of offering it to RAW.
 *
 * Verify reads the descriptors again: the same serial, label and size mean the same disc.
 */
import { FILE_ATTRIBUTE_DIRECTORY, IOCTL_DISK_GET_LENGTH_INFO } from '../../../base/file-codes.ts';
import { IRP_MJ_DEVICE_CONTROL } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_END_OF_FILE,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_WRONG_VOLUME,
} from '../../../base/ntstatus.ts';
import {
  completeWhenDone,
  createVolumeDevice,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type MountVolumeParameters,
  sendPrivateRequest,
} from '../../../io/index.ts';
import { readDisc } from './device-io.ts';
import { followContinuations } from './directory-cache.ts';
import { deleteVolumeIfUnused, dismountVolume } from './dismount.ts';
import { jolietLabel, jolietLevel } from './joliet.ts';
import {
  cdSerial32,
  FIRST_VOLUME_DESCRIPTOR_SECTOR,
  ISO_FLAG_DIRECTORY,
  isoLabel,
  LOGICAL_SECTOR_SIZE,
  MAX_VOLUME_DESCRIPTORS,
  parseVolumeDescriptor,
  readDirectoryRecord,
  specialRecordKind,
  VD_PRIMARY,
  VD_SUPPLEMENTARY,
  VD_TERMINATOR,
  type VolumeDescriptor,
} from './on-disk.ts';
import { announcesRockRidge, RockRidgeRecord } from './rock-ridge.ts';
import {
  type CdfsControl,
  type CdfsData,
  CdNode,
  type NamePreference,
  type NameSet,
  type PosixInfo,
  Vcb,
  type VolumeFacts,
} from './structures.ts';
import { decodeRecordingTime } from './time.ts';

type Finish = (status: NTSTATUS, information: number) => void;

/** What reading the descriptors found: the facts and the root of the chosen tree. */
interface Probe {
  readonly facts: VolumeFacts;
  readonly rootExtent: number;
  readonly rootLength: number;
  readonly rootTime: number;
  readonly rootPosix: PosixInfo | null;
}

/** A failed read while recognising: out of range means the media is too small to be a CD. */
function readFailure(status: NTSTATUS): NTSTATUS {
  return status === STATUS_INVALID_PARAMETER || status === STATUS_END_OF_FILE
    ? STATUS_UNRECOGNIZED_VOLUME
    : status;
}

function deviceLength(storage: DeviceObject, done: (length: number | null) => void): void {
  sendPrivateRequest(
    storage,
    {
      majorFunction: IRP_MJ_DEVICE_CONTROL,
      parameters: { controlCode: IOCTL_DISK_GET_LENGTH_INFO, inputBufferLength: 0, outputBufferLength: 8 },
    },
    (irp) => {
      const answer = irp.systemBuffer as { length?: unknown } | null;
      const length = answer?.length;
      done(NT_SUCCESS(irp.ioStatus.status) && typeof length === 'number' && length > 0 ? length : null);
    },
  );
}

interface DescriptorSet {
  primary: VolumeDescriptor | null;
  joliet: VolumeDescriptor | null;
}

function scanDescriptors(
  storage: DeviceObject,
  sectorSize: number,
  discBytes: number | null,
  done: (status: NTSTATUS, set: DescriptorSet) => void,
): void {
  const set: DescriptorSet = { primary: null, joliet: null };
  const visit = (index: number): void => {
    const sector = FIRST_VOLUME_DESCRIPTOR_SECTOR + index;
    const offset = sector * LOGICAL_SECTOR_SIZE;
    const beyondDisc = discBytes !== null && offset + LOGICAL_SECTOR_SIZE > discBytes;
    if (index >= MAX_VOLUME_DESCRIPTORS || (beyondDisc && index > 0)) {
      done(STATUS_SUCCESS, set);
      return;
    }
    if (beyondDisc) {
      done(STATUS_UNRECOGNIZED_VOLUME, set);
      return;
    }
    readDisc(storage, sectorSize, offset, LOGICAL_SECTOR_SIZE, (status, bytes) => {
      if (!NT_SUCCESS(status)) {
        if (index === 0) done(readFailure(status), set);
        else done(STATUS_SUCCESS, set);
        return;
      }
      const descriptor = parseVolumeDescriptor(bytes, sector);
      if (descriptor === null) {
        done(index === 0 ? STATUS_UNRECOGNIZED_VOLUME : STATUS_SUCCESS, set);
        return;
      }
      if (descriptor.version !== 1 || descriptor.type === VD_TERMINATOR) {
        done(STATUS_SUCCESS, set);
        return;
      }
      if (descriptor.type === VD_PRIMARY && set.primary === null) set.primary = descriptor;
      if (descriptor.type === VD_SUPPLEMENTARY && set.joliet === null && jolietLevel(bytes) > 0)
        set.joliet = descriptor;
      visit(index + 1);
    });
  };
  visit(0);
}

function usableRoot(descriptor: VolumeDescriptor, discBytes: number): boolean {
  const root = descriptor.root;
  const blockSize = descriptor.logicalBlockSize;
  return (
    root !== null &&
    (root.flags & ISO_FLAG_DIRECTORY) !== 0 &&
    root.dataLength > 0 &&
    root.extent * blockSize + root.dataLength <= discBytes
  );
}

interface RockRidgeProbe {
  readonly present: boolean;
  readonly skip: number;
  readonly posix: PosixInfo | null;
}

/** Looks for SUSP and Rock Ridge on the root's "." record (and the CE areas it chains to). */
function probeRockRidge(
  storage: DeviceObject,
  geometry: { blockSize: number; discBytes: number; ioSectorSize: number },
  rootExtent: number,
  done: (probe: RockRidgeProbe) => void,
): void {
  const absent: RockRidgeProbe = { present: false, skip: 0, posix: null };
  readDisc(
    storage,
    geometry.ioSectorSize,
    rootExtent * geometry.blockSize,
    LOGICAL_SECTOR_SIZE,
    (status, bytes) => {
      const self =
        NT_SUCCESS(status) && bytes[0] !== 0 ? readDirectoryRecord(bytes, 0, LOGICAL_SECTOR_SIZE) : null;
      if (self === null || specialRecordKind(bytes, self) !== 0) {
        done(absent);
        return;
      }
      const rr = new RockRidgeRecord();
      rr.parse(bytes, self.systemUseStart, self.systemUseEnd);
      if (rr.sharingSkip === null) {
        done(absent);
        return;
      }
      followContinuations(storage, geometry, rr, new Map(), (continued) => {
        if (!NT_SUCCESS(continued) || !announcesRockRidge(rr)) {
          done(absent);
          return;
        }
        const posix =
          rr.mode === null
            ? null
            : {
                mode: rr.mode,
                links: rr.links ?? 1,
                uid: rr.uid ?? 0,
                gid: rr.gid ?? 0,
                deviceMajor: 0,
                deviceMinor: 0,
              };
        done({ present: true, skip: rr.sharingSkip ?? 0, posix });
      });
    },
  );
}

/** Reads the descriptors (and the root, for Rock Ridge) and decides what the volume shows. */
export function probeVolume(
  storage: DeviceObject,
  preference: NamePreference,
  done: (status: NTSTATUS, probe: Probe | null) => void,
): void {
  const ioSectorSize = storage.sectorSize > 0 ? storage.sectorSize : LOGICAL_SECTOR_SIZE;
  deviceLength(storage, (length) => {
    scanDescriptors(storage, ioSectorSize, length, (status, set) => {
      const primary = set.primary;
      if (!NT_SUCCESS(status) || primary === null) {
        done(NT_SUCCESS(status) ? STATUS_UNRECOGNIZED_VOLUME : status, null);
        return;
      }
      const blockSize = primary.logicalBlockSize;
      if (blockSize !== 512 && blockSize !== 1024 && blockSize !== 2048) {
        done(STATUS_DISK_CORRUPT_ERROR, null);
        return;
      }
      const discBytes = length ?? primary.volumeSpaceSize * blockSize;
      if (!usableRoot(primary, discBytes)) {
        done(STATUS_DISK_CORRUPT_ERROR, null);
        return;
      }
      const joliet =
        set.joliet !== null && set.joliet.logicalBlockSize === blockSize && usableRoot(set.joliet, discBytes)
          ? set.joliet
          : null;
      const geometry = { blockSize, discBytes, ioSectorSize };
      const decide = (rockRidge: RockRidgeProbe): void => {
        let nameSet: NameSet = 'iso9660';
        if (preference === 'rock-ridge' && rockRidge.present) nameSet = 'rock-ridge';
        else if (preference !== 'iso9660' && joliet !== null) nameSet = 'joliet';
        const identity = preference !== 'iso9660' && joliet !== null ? joliet : primary;
        const tree = nameSet === 'joliet' ? joliet! : primary;
        const root = tree.root!;
        done(STATUS_SUCCESS, {
          facts: {
            blockSize,
            discBytes,
            volumeBlocks: primary.volumeSpaceSize,
            nameSet,
            jolietLevel: joliet === null ? 0 : jolietLevel(joliet.sector),
            rockRidge: rockRidge.present,
            suspSkip: nameSet === 'rock-ridge' ? rockRidge.skip : 0,
            label: identity === joliet ? jolietLabel(joliet.sector, 40) : isoLabel(primary.sector),
            serialNumber: cdSerial32(identity.sector),
            creationTime: identity.creationTime,
            ioSectorSize,
          },
          rootExtent: root.extent,
          rootLength: root.dataLength,
          rootTime: decodeRecordingTime(tree.sector, root.timeOffset),
          rootPosix: nameSet === 'rock-ridge' ? rockRidge.posix : null,
        });
      };
      if (preference === 'rock-ridge') probeRockRidge(storage, geometry, primary.root!.extent, decide);
      else decide({ present: false, skip: 0, posix: null });
    });
  });
}

function rootNode(probe: Probe): CdNode {
  const { facts, rootExtent, rootLength, rootTime } = probe;
  return new CdNode(
    rootExtent * facts.blockSize,
    '',
    '',
    '',
    true,
    [{ block: rootExtent, length: rootLength, unitBlocks: 0, gapBlocks: 0 }],
    rootLength,
    FILE_ATTRIBUTE_DIRECTORY,
    rootTime,
    rootTime,
    rootTime,
    rootTime,
    null,
    0,
    probe.rootPosix,
    null,
  );
}

function mountVolume(controlDevice: DeviceObject, parameters: MountVolumeParameters, probe: Probe): NTSTATUS {
  const vcb = new Vcb(parameters.vpb, parameters.deviceObject, probe.facts, rootNode(probe));
  const facts = {
    deviceType: (controlDevice.deviceExtension as CdfsControl).deviceType,
    sectorSize: LOGICAL_SECTOR_SIZE,
    serialNumber: probe.facts.serialNumber,
    label: probe.facts.label,
  };
  const data = controlDevice.driverObject.driverExtension as CdfsData;
  return createVolumeDevice(controlDevice, parameters, vcb, facts, data);
}

export function CdfsMountVolume(controlDevice: DeviceObject, irp: Irp): NTSTATUS {
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as MountVolumeParameters;
  const data = controlDevice.driverObject.driverExtension as CdfsData;
  return completeWhenDone(irp, (finish: Finish) => {
    if (data.shutdown) {
      finish(STATUS_UNRECOGNIZED_VOLUME, 0);
      return;
    }
    probeVolume(parameters.deviceObject, data.options.preferredNames, (status, probe) => {
      if (probe === null) finish(status, 0);
      else finish(mountVolume(controlDevice, parameters, probe), 0);
    });
  });
}

/** IRP_MN_VERIFY_VOLUME on a volume device: is the same disc still in the drive? */
export function CdfsVerifyVolume(vcb: Vcb, irp: Irp): NTSTATUS {
  const storage =
    (IoGetCurrentIrpStackLocation(irp).parameters as MountVolumeParameters).deviceObject ?? vcb.storage;
  const data = vcb.volumeDevice.driverObject.driverExtension as CdfsData;
  return completeWhenDone(irp, (finish) => {
    const wrongVolume = (): void => {
      dismountVolume(vcb, false);
      deleteVolumeIfUnused(vcb);
      finish(STATUS_WRONG_VOLUME, 0);
    };
    if (vcb.dismounted) {
      wrongVolume();
      return;
    }
    probeVolume(storage, data.options.preferredNames, (status, probe) => {
      if (probe === null) {
        if (status === STATUS_UNRECOGNIZED_VOLUME || status === STATUS_DISK_CORRUPT_ERROR) wrongVolume();
        else finish(status, 0);
        return;
      }
      const same =
        probe.facts.serialNumber === vcb.facts.serialNumber &&
        probe.facts.label === vcb.facts.label &&
        probe.facts.volumeBlocks === vcb.facts.volumeBlocks;
      if (same) finish(STATUS_SUCCESS, 0);
      else wrongVolume();
    });
  });
}
