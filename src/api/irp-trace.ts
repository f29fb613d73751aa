/**
 * A tap on every driver's dispatch table: records each IRP as it enters a driver and the status the
 * driver returned. For teaching traces and the demo; the spy filter is the in-stack way to trace.
 *
 * The tap replaces `majorFunction` entries with wrappers and puts the originals back on stop.
 * Drivers loaded while the tap is on are wrapped as they load. A driver that writes its own table
 * after the tap started keeps its new entries untapped.
 */
import { IRP_MJ_NAMES, statusName } from '../base/index.ts';
import {
  type DeviceObject,
  type DriverDispatch,
  type DriverObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type System,
} from '../io/index.ts';

export interface IrpTraceRecord {
  /** Nesting depth: 0 for the driver the I/O manager called, 1 for the driver it called, … */
  depth: number;
  driver: string;
  device: string;
  major: string;
  minor: number;
  fileName: string | null;
  /** What the dispatch routine returned. */
  status: string;
}

const MINOR_NAMES: Readonly<Record<string, readonly string[]>> = {
  IRP_MJ_FILE_SYSTEM_CONTROL: [
    'IRP_MN_USER_FS_REQUEST',
    'IRP_MN_MOUNT_VOLUME',
    'IRP_MN_VERIFY_VOLUME',
    'IRP_MN_LOAD_FILE_SYSTEM',
  ],
  IRP_MJ_DIRECTORY_CONTROL: ['', 'IRP_MN_QUERY_DIRECTORY', 'IRP_MN_NOTIFY_CHANGE_DIRECTORY'],
};

/** Formats one record as an indented line. */
export function formatIrpTraceRecord(record: IrpTraceRecord): string {
  const minor = MINOR_NAMES[record.major]?.[record.minor];
  const what = minor ? `${record.major}/${minor}` : record.major;
  const file = record.fileName ? ` "${record.fileName}"` : '';
  return `${'  '.repeat(record.depth)}${what} → ${record.driver} (${record.device})${file} = ${record.status}`;
}

export function startIrpTrace(system: System, sink: (record: IrpTraceRecord) => void): () => void {
  const originals = new Map<DriverObject, DriverDispatch[]>();
  let depth = 0;
  const tap = (driver: DriverObject): void => {
    if (originals.has(driver)) return;
    const saved = [...driver.majorFunction];
    originals.set(driver, saved);
    driver.majorFunction.forEach((original, major) => {
      driver.majorFunction[major] = (device: DeviceObject, irp: Irp) => {
        const location = IoGetCurrentIrpStackLocation(irp);
        const record: IrpTraceRecord = {
          depth,
          driver: driver.driverName,
          device: device.describe(),
          major: IRP_MJ_NAMES[major] ?? `IRP_MJ_0x${major.toString(16)}`,
          minor: location.minorFunction,
          fileName: location.fileObject?.fileName ?? null,
          status: '',
        };
        sink(record);
        depth++;
        try {
          const status = original(device, irp);
          record.status = statusName(status);
          return status;
        } finally {
          depth--;
        }
      };
    });
  };
  for (const driver of system.io.drivers.values()) tap(driver);
  const stopListening = system.io.addListener((event) => {
    if (event.kind === 'driver-loaded') tap(event.driver);
  });
  return () => {
    stopListening();
    for (const [driver, saved] of originals) {
      saved.forEach((fn, major) => {
        driver.majorFunction[major] = fn;
      });
    }
  };
}
