/**
 * Spy's kernel/user protocol (FileSpy's filespy.h): its control device, its private device
 * controls, and the record it produces. Imported by user-mode clients (`strata trace`, the daemon).
 *
 * - IOCTL_FILTER_ATTACH_VOLUME / IOCTL_FILTER_DETACH_VOLUME / IOCTL_FILTER_LIST_ATTACHMENTS: the
 *   library's codes (FILESPY_StartLoggingDevice, FILESPY_StopLoggingDevice, FILESPY_ListDevices).
 * - IOCTL_SPY_GET_RECORDS: input `{ maxRecords? }` (default: all); output `SpyRecordBatch`, the
 *   oldest records first, removed from the buffer (FILESPY_GetLog).
 * - IOCTL_SPY_GET_STATISTICS: output `SpyStatistics`.
 * - IOCTL_SPY_SET_CAPACITY: input `{ capacity }` (1 to SPY_MAX_CAPACITY); records that no longer fit
 *   are dropped, oldest first, and counted.
 */
import { FILTER_CTL_CODE } from '../lib/protocol.ts';

export {
  type FilterAttachment,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  IOCTL_FILTER_LIST_ATTACHMENTS,
  type VolumeRequest,
} from '../lib/protocol.ts';

/** Spy's control device object (FileSpy's FILESPY_FULLDEVNAME). */
export const SPY_CONTROL_DEVICE = '\\FileSystem\\Filters\\FileSpy';

export const IOCTL_SPY_GET_RECORDS = FILTER_CTL_CODE(0x810);
export const IOCTL_SPY_GET_STATISTICS = FILTER_CTL_CODE(0x811);
export const IOCTL_SPY_SET_CAPACITY = FILTER_CTL_CODE(0x812);

export const SPY_DEFAULT_CAPACITY = 4096;
export const SPY_MAX_CAPACITY = 1 << 20;

/** One request seen by spy on a volume, recorded when it completed. */
export interface SpyRecord {
  /** Order in which spy saw the requests arrive, from 1, per driver. */
  sequence: number;
  /** When the request arrived (system clock, milliseconds since 1970). */
  time: number;
  /** The requesting process (0 with an empty name for kernel requests). */
  processId: number;
  processName: string;
  majorFunction: number;
  minorFunction: number;
  /** `IRP_MJ_READ`, … */
  majorName: string;
  /** The file object's name relative to the volume (`\dir\file`, '' for the volume itself), or null. */
  fileName: string | null;
  /** The storage device under the volume, `\Device\RamDisk0`. */
  volume: string;
  /** Final IoStatus.Status and IoStatus.Information. */
  status: number;
  information: number;
  /** Milliseconds from arrival to completion (performance counter; 0 under a test clock that does not move). */
  duration: number;
}

export interface SpyRecordBatch {
  records: SpyRecord[];
  /** Records dropped because the buffer was full, since spy loaded. */
  dropped: number;
}

export interface SpyStatistics {
  /** Records in the buffer now. */
  buffered: number;
  capacity: number;
  /** Records ever produced, drained or not. */
  recorded: number;
  dropped: number;
}

/** Input of IOCTL_SPY_GET_RECORDS. */
export interface SpyGetRecordsRequest {
  maxRecords?: number;
}

/** Input of IOCTL_SPY_SET_CAPACITY. */
export interface SpySetCapacityRequest {
  capacity: number;
}
