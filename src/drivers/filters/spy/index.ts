/**
 * Spy: an IRP tracer in the manner of the WDK's FileSpy (reference §5.5, §8).
 *
 * Two ways onto a volume, chosen at load (`createSpyDriver({ attachMode })`):
 * - 'on-demand' (the default, FileSpy's ATTACH_ON_DEMAND): attaches only when user mode sends
 *   IOCTL_FILTER_ATTACH_VOLUME to `\FileSystem\Filters\FileSpy`, so it lands above every
 *   notification-driven filter already on the volume;
 * - 'all-volumes' (ATTACH_ALL_VOLUMES): attaches to every file system and volume through
 *   notifications, exactly as sfilter does.
 * The attach machinery is the filter library's; this file is what spy adds: on a volume device it
 * copies its stack location to the next one, sets a completion routine, and records the request
 * when it completes (sequence, time, process, major/minor, file name, status, information,
 * duration). Records go to a bounded ring (`record-log.ts`) that user mode drains with
 * IOCTL_SPY_GET_RECORDS; the host can also subscribe to records as they complete
 * (`SpySubscribe`), so a live trace needs no polling.
 *
 * Recording is on the path of every request: a record is a row written in place, a request in
 * flight is a number (the completion context), and what the IRP still says at completion (process,
 * major/minor) is read there rather than kept. Each record reads the performance counter twice,
 * at arrival and at completion; those two readings and the copy-and-complete pattern (a second
 * stack location per IRP, a completion call) are most of what Spy costs; see docs/drivers.md.
 */
import { IRP_MJ_MAXIMUM_FUNCTION, IRP_MJ_POWER } from '../../../base/irp-codes.ts';
import { type NTSTATUS, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  type DriverDispatch,
  type DriverModule,
  type DriverObject,
  IoCallDriver,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
} from '../../../io/index.ts';
import {
  type AttachMode,
  createLegacyFilterDriver,
  type FilterDeviceExtension,
  type LegacyFilterState,
  legacyFilterState,
  passThrough,
} from '../lib/index.ts';
import {
  IOCTL_SPY_GET_RECORDS,
  IOCTL_SPY_GET_STATISTICS,
  IOCTL_SPY_SET_CAPACITY,
  SPY_CONTROL_DEVICE,
  SPY_DEFAULT_CAPACITY,
  SPY_MAX_CAPACITY,
  type SpyRecord,
  type SpyRecordBatch,
} from './protocol.ts';
import { type SpyRecordListener, SpyRecordLog } from './record-log.ts';

export * from './protocol.ts';
export type { SpyRecordListener } from './record-log.ts';

/** Per-volume state: whether to record, the name records carry, and where they go. */
interface SpyVolume {
  logging: boolean;
  volumeName: string;
  log: SpyRecordLog;
}

type SpyState = LegacyFilterState<SpyRecordLog, SpyVolume>;

/**
 * The completion routine: `context` is the request's row in the log's in-flight table. Spy's own
 * stack location (the current one while its routine runs) still says what the request was.
 */
function spyCompletion(device: DeviceObject | null, irp: Irp, context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const volume = (device!.deviceExtension as FilterDeviceExtension<SpyVolume>).volume!;
  const location = IoGetCurrentIrpStackLocation(irp);
  const process = irp.process;
  volume.log.end(
    context as number,
    process === null ? 0 : process.processId,
    process === null ? '' : process.imageName,
    location.majorFunction,
    location.minorFunction,
    volume.volumeName,
    irp.ioStatus.status,
    irp.ioStatus.information,
  );
  return STATUS_SUCCESS;
}

/** Every request on a volume device: note it, pass it down with a completion routine, record it there. */
const spyVolumeDispatch: DriverDispatch = (device, irp) => {
  const extension = device.deviceExtension as FilterDeviceExtension<SpyVolume>;
  const volume = extension.volume;
  if (volume === null || !volume.logging) return passThrough(device, irp);
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const row = volume.log.begin(fileObject === null ? null : fileObject.fileName);
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, spyCompletion, row, true, true, true);
  return IoCallDriver(extension.lower!, irp);
};

function spyDeviceIoControl(state: SpyState, irp: Irp, code: number): NTSTATUS | null {
  const log = state.filter;
  switch (code) {
    case IOCTL_SPY_GET_RECORDS: {
      const input = irp.systemBuffer as { maxRecords?: unknown } | null;
      const max = input?.maxRecords;
      if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 0))
        return completeRequest(irp, STATUS_INVALID_PARAMETER);
      const records = log.drain(max ?? Number.POSITIVE_INFINITY);
      irp.systemBuffer = { records, dropped: log.dropped } satisfies SpyRecordBatch;
      return completeRequest(irp, STATUS_SUCCESS, records.length);
    }
    case IOCTL_SPY_GET_STATISTICS:
      irp.systemBuffer = log.statistics();
      return completeRequest(irp, STATUS_SUCCESS, 1);
    case IOCTL_SPY_SET_CAPACITY: {
      const capacity = (irp.systemBuffer as { capacity?: unknown } | null)?.capacity;
      if (
        typeof capacity !== 'number' ||
        !Number.isInteger(capacity) ||
        capacity < 1 ||
        capacity > SPY_MAX_CAPACITY
      )
        return completeRequest(irp, STATUS_INVALID_PARAMETER);
      log.resize(capacity);
      return completeRequest(irp, STATUS_SUCCESS);
    }
    default:
      return null;
  }
}

export interface SpyOptions {
  /** Default 'on-demand'. */
  attachMode?: AttachMode;
  /** Ring capacity in records; default SPY_DEFAULT_CAPACITY. */
  capacity?: number;
}

const volumeDispatch: Partial<Record<number, DriverDispatch>> = {};
for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++)
  if (major !== IRP_MJ_POWER) volumeDispatch[major] = spyVolumeDispatch;

export function createSpyDriver(options: SpyOptions = {}): DriverModule {
  const capacity = options.capacity ?? SPY_DEFAULT_CAPACITY;
  return createLegacyFilterDriver<SpyRecordLog, SpyVolume>(
    {
      manifest: {
        name: 'Spy',
        kind: 'legacy-filter',
        description: 'Records every request on the volumes it is attached to (the WDK FileSpy).',
      },
      controlDeviceName: SPY_CONTROL_DEVICE,
      createFilterState: (driver) =>
        new SpyRecordLog(capacity, driver.system.performanceCounter, driver.system.now),
      volumeDispatch,
      createVolumeState: (state, device) => ({
        logging: false,
        volumeName: (device.deviceExtension as FilterDeviceExtension).realDevice?.deviceName ?? '',
        log: state.filter,
      }),
      volumeAttached: (_state, device) => {
        const volume = (device.deviceExtension as FilterDeviceExtension<SpyVolume>).volume;
        if (volume !== null) volume.logging = true;
      },
      controlDeviceIoControl: spyDeviceIoControl,
    },
    { attachMode: options.attachMode ?? 'on-demand' },
  );
}

/** Spy attaching on demand, with the default buffer. */
export const spyDriver: DriverModule = createSpyDriver();

/**
 * Subscribes to spy's records as they complete: the listener gets its own copy of each record,
 * synchronously, in the completing context (keep it cheap). Returns the unsubscribe function.
 * This is the host's live view; user-mode programs drain with IOCTL_SPY_GET_RECORDS instead.
 */
export function SpySubscribe(
  spyDriverObject: DriverObject,
  listener: (record: SpyRecord) => void,
): () => void {
  const log = legacyFilterState<SpyRecordLog>(spyDriverObject).filter;
  const listeners = log.listeners;
  const entry: SpyRecordListener = listener;
  listeners.push(entry);
  return () => {
    const index = listeners.indexOf(entry);
    if (index >= 0) listeners.splice(index, 1);
  };
}
