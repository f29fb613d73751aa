/**
 * A Strata system: one independent kernel (DESIGN, "no globals").
 *
 * It owns the object namespace, the I/O database (file system queues, notification list, loaded
 * drivers), the processes and the clock. Every kernel object keeps a pointer to its system, so
 * kernel routines keep their NT signatures. `new System()` gives a bare kernel with the standard
 * namespace directories; `createSystem()` in the API layer also boots the RAW file system.
 */
import { ObjectNamespace, Process } from '../ob/index.ts';
import { IoDatabase } from './io-database.ts';

export interface SystemOptions {
  /** Milliseconds since 1970 for timestamps; defaults to Date.now. Pass a counter for deterministic runs. */
  clock?: () => number;
  /**
   * KeQueryPerformanceCounter: a monotonic clock in milliseconds (fractions allowed) for measuring
   * durations. Defaults to `performance.now`, or to `clock` when one is given, so a run with a test
   * clock stays deterministic.
   */
  performanceCounter?: () => number;
  /** IoBlockLegacyFsFilters: IoRegisterFsRegistrationChange fails with STATUS_NOT_SUPPORTED. */
  blockLegacyFsFilters?: boolean;
}

export class System {
  readonly ob = new ObjectNamespace();
  readonly io: IoDatabase;
  /** The System process (pid 4) owns kernel handles. */
  readonly systemProcess: Process;
  readonly processes = new Map<number, Process>();
  readonly now: () => number;
  /** Monotonic milliseconds for durations (KeQueryPerformanceCounter); see SystemOptions. */
  readonly performanceCounter: () => number;
  private nextProcessId = 8;

  constructor(options: SystemOptions = {}) {
    this.now = options.clock ?? Date.now;
    this.performanceCounter =
      options.performanceCounter ?? options.clock ?? performanceNow(globalThis.performance);
    this.io = new IoDatabase(this, options.blockLegacyFsFilters ?? false);
    for (const directory of [
      '\\Device',
      '\\Driver',
      '\\FileSystem',
      '\\FileSystem\\Filters',
      '\\??',
      '\\GLOBAL??',
    ]) {
      this.ob.createDirectory(directory);
    }
    this.systemProcess = new Process(4, 'System');
    this.processes.set(4, this.systemProcess);
  }

  /** Creates a user-mode process context with its own handle table. */
  createProcess(imageName: string): Process {
    const process = new Process(this.nextProcessId, imageName);
    this.nextProcessId += 4;
    this.processes.set(process.processId, process);
    return process;
  }
}

/**
 * The default performance counter. `performance` is looked up once: in Node it is an accessor on
 * globalThis, and looking it up per call costs about a quarter of the clock read itself.
 */
function performanceNow(performance: { now(): number }): () => number {
  return () => performance.now();
}
