/**
 * The shared half of IRP_MJ_QUERY_VOLUME_INFORMATION / IRP_MJ_SET_VOLUME_INFORMATION
 * (src/io/fsrtl/volume-information.ts), driven with hand-built IRPs and a facts table that counts
 * what it is asked. Every file system's own suite checks the records it reports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_FS_ATTRIBUTE_INFORMATION_SIZE,
  FILE_FS_FULL_SIZE_INFORMATION_SIZE,
  FILE_FS_SIZE_INFORMATION_SIZE,
  FILE_FS_VOLUME_INFORMATION_SIZE,
  FileFsAttributeInformation,
  FileFsControlInformation,
  FileFsDeviceInformation,
  FileFsFullSizeInformation,
  FileFsLabelInformation,
  FileFsMaximumInformation,
  FileFsSizeInformation,
  FileFsVolumeInformation,
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import {
  fsInformationLength,
  IoAllocateIrp,
  IoGetNextIrpStackLocation,
  IoSetNextIrpStackLocation,
  type Irp,
  queryVolumeInformation,
  requestedVolumeLabel,
  type VolumeFacts,
} from '../../../src/io/index.ts';

interface Volume {
  label: string;
  asked: string[];
}

const FACTS: VolumeFacts<Volume> = {
  unsupportedClass: STATUS_INVALID_INFO_CLASS,
  volumeInfo: (volume) => {
    volume.asked.push('volume');
    return {
      volumeCreationTime: 7,
      volumeSerialNumber: 0x1234,
      volumeLabel: volume.label,
      supportsObjects: false,
    };
  },
  sizeInfo: (volume) => {
    volume.asked.push('size');
    return {
      totalAllocationUnits: 100,
      callerAvailableAllocationUnits: 30,
      actualAvailableAllocationUnits: 40,
      sectorsPerAllocationUnit: 8,
      bytesPerSector: 512,
    };
  },
  deviceInfo: (volume) => {
    volume.asked.push('device');
    return { deviceType: 7, characteristics: 0 };
  },
  attributeInfo: (volume) => {
    volume.asked.push('attribute');
    return { fileSystemAttributes: 3, maximumComponentNameLength: 255, fileSystemName: 'TESTFS' };
  },
};

function request(fsInformationClass: number, length: number, systemBuffer: unknown = null): Irp {
  const irp = IoAllocateIrp(1);
  IoGetNextIrpStackLocation(irp).parameters = { fsInformationClass, length };
  IoSetNextIrpStackLocation(irp);
  irp.systemBuffer = systemBuffer;
  return irp;
}

function query(volume: Volume, fsInformationClass: number, length: number) {
  const irp = request(fsInformationClass, length);
  const returned: NTSTATUS = queryVolumeInformation(irp, FACTS, volume);
  assert.equal(irp.completed, true);
  assert.equal(irp.ioStatus.status, returned);
  return { status: returned, information: irp.ioStatus.information, info: irp.systemBuffer };
}

test('a buffer below a class fixed record is STATUS_INFO_LENGTH_MISMATCH and asks the file system nothing', () => {
  const volume: Volume = { label: 'DATA', asked: [] };
  for (const infoClass of [
    FileFsVolumeInformation,
    FileFsSizeInformation,
    FileFsFullSizeInformation,
    FileFsDeviceInformation,
    FileFsAttributeInformation,
  ]) {
    const result = query(volume, infoClass, fsInformationLength(infoClass) - 1);
    assert.equal(result.status, STATUS_INFO_LENGTH_MISMATCH, `class ${infoClass}`);
    assert.equal(result.information, 0);
    assert.equal(result.info, null);
  }
  assert.deepEqual(volume.asked, []);
});

test('a label that does not fit is cut to whole characters with STATUS_BUFFER_OVERFLOW and counted as returned', () => {
  const volume: Volume = { label: 'ARCHIVE', asked: [] };
  const cut = query(volume, FileFsVolumeInformation, FILE_FS_VOLUME_INFORMATION_SIZE + 5);
  assert.equal(cut.status, STATUS_BUFFER_OVERFLOW);
  assert.equal((cut.info as { volumeLabel: string }).volumeLabel, 'AR');
  assert.equal(cut.information, FILE_FS_VOLUME_INFORMATION_SIZE + 4);
  const whole = query(volume, FileFsVolumeInformation, FILE_FS_VOLUME_INFORMATION_SIZE + 14);
  assert.equal(whole.status, STATUS_SUCCESS);
  assert.deepEqual(whole.info, {
    volumeCreationTime: 7,
    volumeSerialNumber: 0x1234,
    volumeLabel: 'ARCHIVE',
    supportsObjects: false,
  });
  assert.equal(whole.information, FILE_FS_VOLUME_INFORMATION_SIZE + 14);
});

test('the file system name is cut the same way; the attributes stay whole', () => {
  const volume: Volume = { label: '', asked: [] };
  const cut = query(volume, FileFsAttributeInformation, FILE_FS_ATTRIBUTE_INFORMATION_SIZE + 2);
  assert.equal(cut.status, STATUS_BUFFER_OVERFLOW);
  assert.deepEqual(cut.info, {
    fileSystemAttributes: 3,
    maximumComponentNameLength: 255,
    fileSystemName: 'T',
  });
  assert.equal(cut.information, FILE_FS_ATTRIBUTE_INFORMATION_SIZE + 2);
});

test('FileFsSizeInformation reports the caller-available units; the full record reports both', () => {
  const volume: Volume = { label: '', asked: [] };
  const size = query(volume, FileFsSizeInformation, FILE_FS_SIZE_INFORMATION_SIZE);
  assert.equal(size.status, STATUS_SUCCESS);
  assert.deepEqual(size.info, {
    totalAllocationUnits: 100,
    availableAllocationUnits: 30,
    sectorsPerAllocationUnit: 8,
    bytesPerSector: 512,
  });
  assert.equal(size.information, FILE_FS_SIZE_INFORMATION_SIZE);
  const full = query(volume, FileFsFullSizeInformation, 4096);
  assert.equal((full.info as { actualAvailableAllocationUnits: number }).actualAvailableAllocationUnits, 40);
  assert.equal(full.information, FILE_FS_FULL_SIZE_INFORMATION_SIZE);
  assert.deepEqual(volume.asked, ['size', 'size']);
});

test("a class the file system does not answer, or a size class the driver answers itself, gets the file system's own status", () => {
  const volume: Volume = { label: '', asked: [] };
  const own = { ...FACTS, unsupportedClass: STATUS_INVALID_PARAMETER };
  const status = (facts: VolumeFacts<Volume>, infoClass: number) => {
    const irp = request(infoClass, 4096);
    queryVolumeInformation(irp, facts, volume);
    return irp.ioStatus.status;
  };
  assert.equal(status(own, FileFsControlInformation), STATUS_INVALID_PARAMETER);
  assert.equal(status(own, FileFsLabelInformation), STATUS_INVALID_PARAMETER);
  assert.equal(status({ ...own, sizeInfo: null }, FileFsSizeInformation), STATUS_INVALID_PARAMETER);
  assert.deepEqual(volume.asked, []);
});

test('a number that is no FS_INFORMATION_CLASS is STATUS_INVALID_INFO_CLASS whatever the file system would say', () => {
  const volume: Volume = { label: '', asked: [] };
  const own = { ...FACTS, unsupportedClass: STATUS_INVALID_PARAMETER };
  for (const infoClass of [0, -1, 1.5, FileFsMaximumInformation, 999]) {
    const irp = request(infoClass, 4096);
    queryVolumeInformation(irp, own, volume);
    assert.equal(irp.ioStatus.status, STATUS_INVALID_INFO_CLASS, `class ${infoClass}`);
  }
});

test('a set request yields its label only for a FileFsLabelInformation record holding a string', () => {
  const label = (fsInformationClass: number, systemBuffer: unknown) =>
    requestedVolumeLabel(request(fsInformationClass, 0, systemBuffer));
  assert.equal(label(FileFsLabelInformation, { volumeLabel: 'NEW' }), 'NEW');
  assert.equal(label(FileFsLabelInformation, { volumeLabel: '' }), '');
  assert.equal(label(FileFsLabelInformation, { volumeLabel: 5 }), null);
  assert.equal(label(FileFsLabelInformation, null), null);
  assert.equal(label(FileFsVolumeInformation, { volumeLabel: 'NEW' }), null);
});
