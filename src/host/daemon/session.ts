/**
 * One client of the control plane: a connection (or an in-process caller) with its own Process, so
 * its handles live in their own table and its requests show up under their own name in traces, as
 * a Win32 program's would.
 *
 * A session owns uploads in progress (uploads.ts) and subscriptions (trace --follow). Closing it
 * is process exit: uploads not committed are abandoned (their temporary files deleted, and the
 * loss reported in the daemon's log), subscriptions end, and every handle still open is closed,
 * so file systems see IRP_MJ_CLEANUP and IRP_MJ_CLOSE for each.
 */
import type { Process } from '../../ob/index.ts';
import type { RequestId } from '../control/index.ts';
import type { StrataHost } from './host.ts';
import { NtFiles } from './nt-files.ts';
import type { Upload } from './uploads.ts';

/** The most subscriptions (trace --follow) one connection may hold open at once. */
export const MAX_SUBSCRIPTIONS = 16;
/** The most uploads (upload-begin not yet committed or aborted) one connection may have at once. */
export const MAX_UPLOADS = 16;

export class Session {
  readonly process: Process;
  readonly files: NtFiles;
  readonly uploads = new Map<string, Upload>();
  /** Cancel functions of open subscriptions, by the request id that opened them. */
  readonly subscriptions = new Map<RequestId, () => void>();
  nextUpload = 1;
  closed = false;

  constructor(
    readonly host: StrataHost,
    imageName: string,
  ) {
    this.process = host.system.createProcess(imageName);
    this.files = new NtFiles(host.system, this.process);
  }

  /** Ends the session as a process exit ends a program (see the header). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const cancel of this.subscriptions.values()) cancel();
    this.subscriptions.clear();
    for (const upload of [...this.uploads.values()]) {
      this.host.log(
        `A client of process ${this.process.processId} left before committing its upload to ${upload.target.display}; the partial data was discarded.`,
      );
      await upload.abort();
    }
    for (const handle of this.process.handleTable.handles()) this.process.handleTable.close(handle);
    this.host.system.processes.delete(this.process.processId);
  }
}
