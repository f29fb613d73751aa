/**
 * IRP dispatch cost through stacks of 0, 1, 4 and 16 pass-through legacy filters, against a chain
 * of plain function calls of the same depth (each link a separate, non-inlined function called
 * through a table, as dispatch routines are). One operation = allocate an IRP sized for the stack,
 * fill its first location, IoCallDriver, every filter skips and calls down, the file system
 * completes, completion walks back up.
 */

import { createSystem } from '../src/api/create-system.ts';
import { FILE_GENERIC_READ, FILE_OPEN, IRP_MJ_READ } from '../src/base/index.ts';
import {
  IoAllocateIrp,
  IoCallDriver,
  IoCreateFile,
  IoGetNextIrpStackLocation,
  IoGetRelatedDeviceObject,
  IoLoadDriver,
} from '../src/io/index.ts';
import { nullDiskDriver, nullFileSystemDriver, passThroughFilterDriver } from './support/bench-drivers.ts';
import { type BenchmarkTable, compare, row } from './support/measure.ts';

type Link = (request: { status: number; depth: number }) => number;

/** A chain of `depth` distinct functions, each calling the next through a table. */
function functionChain(depth: number): Link {
  const table: Link[] = [];
  for (let i = 0; i < depth; i++) {
    // new Function gives each link its own code, so the chain cannot collapse into one inlined loop.
    table.push(
      new Function(
        'table',
        'i',
        `return function link${i}(request) { request.depth++; const next = table[i + 1]; if (next === undefined) { request.status = 0; return 0; } return next(request); };`,
      )(table, i) as Link,
    );
  }
  return table[0]!;
}

export function run(): BenchmarkTable[] {
  const rows = [];
  for (const filters of [0, 1, 4, 16]) {
    const system = createSystem();
    const { driverObject: diskDriver } = IoLoadDriver(system, nullDiskDriver);
    IoLoadDriver(system, nullFileSystemDriver);
    const disk = nullDiskDriver.createDisk(diskDriver!);
    const opened = IoCreateFile(system, null, {
      objectName: '\\Device\\NullDisk0\\f',
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    });
    if (opened instanceof Promise || opened.fileObject === null) throw new Error('bench setup: open failed');
    const fileObject = opened.fileObject;
    for (let i = 0; i < filters; i++) {
      const filter = passThroughFilterDriver(`Pass${i}`);
      const { driverObject } = IoLoadDriver(system, filter);
      filter.attach(driverObject!, disk.vpb!.deviceObject!);
    }
    const top = IoGetRelatedDeviceObject(fileObject);
    const chain = functionChain(filters + 1);
    const pair = compare(
      (n) => {
        for (let i = 0; i < n; i++) {
          const irp = IoAllocateIrp(top.stackSize);
          const location = IoGetNextIrpStackLocation(irp);
          location.majorFunction = IRP_MJ_READ;
          location.fileObject = fileObject;
          location.parameters = { length: 4096, byteOffset: 0, key: 0 };
          IoCallDriver(top, irp);
        }
      },
      (n) => {
        for (let i = 0; i < n; i++) chain({ status: -1, depth: 0 });
      },
      { operations: 200_000 },
    );
    rows.push(
      row(`${filters} filter${filters === 1 ? '' : 's'} (${filters + 1} drivers)`, pair, 'reported', null),
    );
  }
  return [
    {
      title: 'IRP dispatch: one read IRP through N pass-through filters',
      reference: 'chain of plain function calls',
      rows,
      notes: ['Per operation: IRP allocation, dispatch through every driver, completion back to the top.'],
    },
  ];
}
