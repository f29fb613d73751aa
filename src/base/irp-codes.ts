/**
 * IRP major and minor function codes, stack-location control and flag bits (wdm.h / ntddk.h values).
 */

export const IRP_MJ_CREATE = 0x00;
export const IRP_MJ_CREATE_NAMED_PIPE = 0x01;
export const IRP_MJ_CLOSE = 0x02;
export const IRP_MJ_READ = 0x03;
export const IRP_MJ_WRITE = 0x04;
export const IRP_MJ_QUERY_INFORMATION = 0x05;
export const IRP_MJ_SET_INFORMATION = 0x06;
export const IRP_MJ_QUERY_EA = 0x07;
export const IRP_MJ_SET_EA = 0x08;
export const IRP_MJ_FLUSH_BUFFERS = 0x09;
export const IRP_MJ_QUERY_VOLUME_INFORMATION = 0x0a;
export const IRP_MJ_SET_VOLUME_INFORMATION = 0x0b;
export const IRP_MJ_DIRECTORY_CONTROL = 0x0c;
export const IRP_MJ_FILE_SYSTEM_CONTROL = 0x0d;
export const IRP_MJ_DEVICE_CONTROL = 0x0e;
export const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
export const IRP_MJ_SHUTDOWN = 0x10;
export const IRP_MJ_LOCK_CONTROL = 0x11;
export const IRP_MJ_CLEANUP = 0x12;
export const IRP_MJ_CREATE_MAILSLOT = 0x13;
export const IRP_MJ_QUERY_SECURITY = 0x14;
export const IRP_MJ_SET_SECURITY = 0x15;
export const IRP_MJ_POWER = 0x16;
export const IRP_MJ_SYSTEM_CONTROL = 0x17;
export const IRP_MJ_DEVICE_CHANGE = 0x18;
export const IRP_MJ_QUERY_QUOTA = 0x19;
export const IRP_MJ_SET_QUOTA = 0x1a;
export const IRP_MJ_PNP = 0x1b;
export const IRP_MJ_MAXIMUM_FUNCTION = 0x1b;

export const IRP_MJ_NAMES: readonly string[] = [
  'IRP_MJ_CREATE',
  'IRP_MJ_CREATE_NAMED_PIPE',
  'IRP_MJ_CLOSE',
  'IRP_MJ_READ',
  'IRP_MJ_WRITE',
  'IRP_MJ_QUERY_INFORMATION',
  'IRP_MJ_SET_INFORMATION',
  'IRP_MJ_QUERY_EA',
  'IRP_MJ_SET_EA',
  'IRP_MJ_FLUSH_BUFFERS',
  'IRP_MJ_QUERY_VOLUME_INFORMATION',
  'IRP_MJ_SET_VOLUME_INFORMATION',
  'IRP_MJ_DIRECTORY_CONTROL',
  'IRP_MJ_FILE_SYSTEM_CONTROL',
  'IRP_MJ_DEVICE_CONTROL',
  'IRP_MJ_INTERNAL_DEVICE_CONTROL',
  'IRP_MJ_SHUTDOWN',
  'IRP_MJ_LOCK_CONTROL',
  'IRP_MJ_CLEANUP',
  'IRP_MJ_CREATE_MAILSLOT',
  'IRP_MJ_QUERY_SECURITY',
  'IRP_MJ_SET_SECURITY',
  'IRP_MJ_POWER',
  'IRP_MJ_SYSTEM_CONTROL',
  'IRP_MJ_DEVICE_CHANGE',
  'IRP_MJ_QUERY_QUOTA',
  'IRP_MJ_SET_QUOTA',
  'IRP_MJ_PNP',
];

// IRP_MJ_FILE_SYSTEM_CONTROL minor functions.
export const IRP_MN_USER_FS_REQUEST = 0x00;
export const IRP_MN_MOUNT_VOLUME = 0x01;
export const IRP_MN_VERIFY_VOLUME = 0x02;
export const IRP_MN_LOAD_FILE_SYSTEM = 0x03;
export const IRP_MN_KERNEL_CALL = 0x04;

// IRP_MJ_DIRECTORY_CONTROL minor functions.
export const IRP_MN_QUERY_DIRECTORY = 0x01;
export const IRP_MN_NOTIFY_CHANGE_DIRECTORY = 0x02;

// IO_STACK_LOCATION.Control bits.
export const SL_PENDING_RETURNED = 0x01;
export const SL_ERROR_RETURNED = 0x02;
export const SL_INVOKE_ON_CANCEL = 0x20;
export const SL_INVOKE_ON_SUCCESS = 0x40;
export const SL_INVOKE_ON_ERROR = 0x80;

// IO_STACK_LOCATION.Flags bits.
export const SL_ALLOW_RAW_MOUNT = 0x01;
export const SL_CASE_SENSITIVE = 0x80;
export const SL_OPEN_TARGET_DIRECTORY = 0x04;
export const SL_RESTART_SCAN = 0x01;
export const SL_RETURN_SINGLE_ENTRY = 0x02;
export const SL_INDEX_SPECIFIED = 0x04;
export const SL_WRITE_THROUGH = 0x04;

// IRP.Flags bits.
export const IRP_NOCACHE = 0x00000001;
export const IRP_PAGING_IO = 0x00000002;
export const IRP_MOUNT_COMPLETION = 0x00000002;
export const IRP_SYNCHRONOUS_API = 0x00000004;
export const IRP_CREATE_OPERATION = 0x00000080;
export const IRP_READ_OPERATION = 0x00000100;
export const IRP_WRITE_OPERATION = 0x00000200;
export const IRP_CLOSE_OPERATION = 0x00000400;
export const IRP_SYNCHRONOUS_PAGING_IO = 0x00000040;
