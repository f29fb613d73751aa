/**
 * NoDelete: the worked example of docs/writing-drivers.md ("With the sample filters' library"),
 * kept as a real driver so the example cannot drift from the library it uses.
 *
 * A legacy filter (sfilter's family) that refuses an IRP_MJ_CREATE asking for FILE_DELETE_ON_CLOSE
 * with STATUS_ACCESS_DENIED before the file system sees it; everything else passes down. Written in
 * src/drivers/filters/<name>/, its imports would be '../../../io/index.ts' and so on.
 */
import {
  FILE_DELETE_ON_CLOSE,
  IRP_MJ_CREATE,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
} from '../../src/base/index.ts';
import { createLegacyFilterDriver, passThrough } from '../../src/drivers/filters/lib/index.ts';
import {
  type CreateParameters,
  completeRequest,
  createOptions,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../src/io/index.ts';

function create(device: DeviceObject, irp: Irp): NTSTATUS {
  const { options } = IoGetCurrentIrpStackLocation(irp).parameters as CreateParameters;
  if ((createOptions(options) & FILE_DELETE_ON_CLOSE) !== 0)
    return completeRequest(irp, STATUS_ACCESS_DENIED);
  return passThrough(device, irp);
}

export const noDeleteDriver = createLegacyFilterDriver(
  {
    manifest: { name: 'NoDelete', kind: 'legacy-filter', description: 'refuses delete-on-close' },
    controlDeviceName: '\\FileSystem\\Filters\\NoDelete', // or null: no control device
    volumeDispatch: {
      [IRP_MJ_CREATE]: create,
    },
    // optional: createFilterState, createVolumeState (per-volume state, can refuse an attach),
    // volumeAttached, controlDeviceIoControl (private codes), unload
  },
  { attachMode: 'all-volumes' }, // or 'on-demand'; attachToRecognizers, attachToRaw
);
