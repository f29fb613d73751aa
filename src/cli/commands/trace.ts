/**
 * `strata trace`: the requests spy recorded on the volumes it is attached to, and with --follow the
 * new ones as they complete (until Ctrl-C). Spy's records are what FileSpy's log shows: sequence,
 * time, process, major/minor function, file, final status and information, duration.
 */
import type { TraceRecordInfo, TraceResult } from '../../host/control/index.ts';
import {
  type Command,
  type CommandContext,
  flag,
  integerOption,
  stringOption,
  UsageError,
} from '../command.ts';
import { EXIT_OK, EXIT_UNREACHABLE } from '../exit-codes.ts';

/**
 * Column widths. A listing sizes each column to the longest value it holds (at least its
 * heading), so a batch of creates and reads is not padded out for requests it does not contain.
 * A live trace (--follow) cannot know what is coming: it uses widths that hold the usual values
 * (IRP_MJ_QUERY_INFORMATION, STATUS_OBJECT_NAME_NOT_FOUND), and a longer one (a minor function
 * such as IRP_MJ_DIRECTORY_CONTROL/IRP_MN_QUERY_DIRECTORY) pushes the rest of its row right.
 */
export interface TraceWidths {
  volume: number;
  request: number;
  status: number;
}

const FOLLOW_WIDTHS: TraceWidths = { volume: 4, request: 26, status: 28 };
const MINIMUM_WIDTHS: TraceWidths = {
  volume: 'VOL'.length,
  request: 'REQUEST'.length,
  status: 'STATUS'.length,
};

function requestOf(r: TraceRecordInfo): string {
  return r.minor !== null ? `${r.major}/${r.minor}` : r.major;
}

export function traceWidths(records: readonly TraceRecordInfo[]): TraceWidths {
  const widths = { ...MINIMUM_WIDTHS };
  for (const r of records) {
    widths.volume = Math.max(widths.volume, r.volume.length);
    widths.request = Math.max(widths.request, requestOf(r).length);
    widths.status = Math.max(widths.status, r.status.length);
  }
  return widths;
}

export function traceHeader(widths: TraceWidths = FOLLOW_WIDTHS): string {
  return `${'SEQ'.padStart(6)}  ${'TIME'.padEnd(12)}  ${'PROCESS'.padEnd(16)}  ${'VOL'.padEnd(widths.volume)}  ${'REQUEST'.padEnd(widths.request)}  ${'STATUS'.padEnd(widths.status)}  ${'INFO'.padStart(8)}  ${'µs'.padStart(7)}  FILE`;
}

export function formatTraceRecord(
  r: TraceRecordInfo,
  context: CommandContext,
  widths: TraceWidths = FOLLOW_WIDTHS,
): string {
  const time = r.time.slice(11, 23);
  const process = (r.process === '' ? 'System' : `${r.process}:${r.processId}`).slice(0, 16);
  const ok = r.status === 'STATUS_SUCCESS';
  const status = r.status.padEnd(widths.status);
  return `${String(r.sequence).padStart(6)}  ${time.padEnd(12)}  ${process.padEnd(16)}  ${r.volume.padEnd(widths.volume)}  ${requestOf(r).padEnd(widths.request)}  ${ok ? status : context.style.red(status)}  ${String(r.information).padStart(8)}  ${String(r.durationUs).padStart(7)}  ${r.fileName ?? context.style.dim('-')}`;
}

export const trace: Command = {
  name: 'trace',
  summary: 'Show the requests spy recorded (live with --follow)',
  usage: 'trace [--follow] [--volume V] [--limit N]',
  description:
    'Spy must be loaded and attached to the volumes you want to see (strata attach Spy M:). Without --follow, prints the most recent records the daemon keeps (up to 10,000). With --follow, then prints each new record as it completes until interrupted; with --json each record is then one JSON line.',
  options: {
    follow: { type: 'boolean', short: 'f', description: 'keep printing new records until Ctrl-C' },
    volume: { type: 'string', placeholder: 'V', description: 'only records of this volume (M:)' },
    limit: {
      type: 'string',
      placeholder: 'N',
      description: 'at most the N most recent buffered records (default 1000)',
    },
  },
  args: { min: 0, max: 0 },
  examples: ['strata trace', 'strata trace --follow --volume M:', 'strata trace --json'],
  json: '{ records: [{ sequence, time, processId, process, volume, major, minor, fileName, status, information, durationUs }], spyLoaded, following }',
  async run(context, args) {
    const follow = flag(args, 'follow');
    const volume = stringOption(args, 'volume');
    const limit = integerOption(args, 'limit', 1000, trace);
    const transport = await context.transport();
    if (follow && transport.inProcess)
      throw new UsageError(
        'trace --follow needs a running daemon (strata up); in-process runs end with the command.',
        trace,
      );
    const params = { follow, limit, ...(volume !== null ? { volume } : {}) };
    const onRecord = (record: TraceRecordInfo): void => {
      if (context.json) context.printJson(record);
      else context.print(formatTraceRecord(record, context));
    };
    if (!follow) {
      const result = await transport.request<TraceResult>('trace', params);
      if (context.json) context.printJson(result);
      else {
        if (!result.spyLoaded)
          context.err.write(
            `${context.errStyle.yellow('Spy is not loaded:')} load it with \`strata load Spy\`, then \`strata attach Spy M:\`.\n`,
          );
        const widths = traceWidths(result.records);
        context.print(context.style.bold(traceHeader(widths)));
        for (const record of result.records) context.print(formatTraceRecord(record, context, widths));
      }
      return EXIT_OK;
    }
    const subscription = transport.subscribe<TraceResult>('trace', params, (data) =>
      onRecord(data as TraceRecordInfo),
    );
    const first = await subscription.result;
    if (!context.json) {
      if (!first.spyLoaded)
        context.err.write(
          `${context.errStyle.yellow('Spy is not loaded yet:')} records start once it is loaded and attached.\n`,
        );
      context.print(context.style.bold(traceHeader()));
    }
    for (const record of first.records) onRecord(record);
    // Runs until Ctrl-C (exit 0) or until the daemon goes away (exit 3).
    return new Promise<number>((resolve) => {
      let finished = false;
      const finish = (code: number): void => {
        if (finished) return;
        finished = true;
        process.off('SIGINT', interrupted);
        process.off('SIGTERM', interrupted);
        resolve(code);
      };
      const interrupted = (): void => {
        subscription.cancel().then(
          () => finish(EXIT_OK),
          () => finish(EXIT_OK),
        );
      };
      process.on('SIGINT', interrupted);
      process.on('SIGTERM', interrupted);
      void transport.closed.then(() => {
        if (finished) return;
        context.err.write('The daemon went away; the trace ended.\n');
        finish(EXIT_UNREACHABLE);
      });
    });
  },
};
