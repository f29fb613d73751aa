/**
 * The method table of the control protocol and the one place requests become replies. The socket
 * server and the in-process runner both call `dispatch`, so a command behaves the same through the
 * daemon and without it.
 *
 * A handler returns its result or throws; `dispatch` never throws: every failure, including a bug
 * in a handler, becomes an error reply (errors.ts), and the caller keeps serving.
 */
import { STATUS_OBJECT_NAME_NOT_FOUND } from '../../base/index.ts';
import {
  type DownResult,
  errorResponse,
  type HelloResult,
  METHOD_NAMES,
  PROTOCOL_VERSION,
  type Request,
  type RequestId,
  type Response,
  type TraceResult,
} from '../control/index.ts';
import { InvalidParamsError, NtStatusError, toControlError } from './errors.ts';
import * as files from './file-methods.ts';
import type { StrataHost } from './host.ts';
import * as p from './params.ts';
import { MAX_SUBSCRIPTIONS, type Session } from './session.ts';
import * as system from './system-methods.ts';
import { TRACE_CAPACITY } from './trace.ts';
import * as transfer from './transfer-methods.ts';

export interface ServiceContext {
  host: StrataHost;
  session: Session;
  /** The daemon's pid and socket, for `hello`; null in-process. */
  pid: number | null;
  socket: string | null;
  /** Asks the daemon to stop once the reply is sent; null in-process. */
  requestStop: (() => void) | null;
  /** Pushes an event to the client for the subscription opened by request `id`. */
  emit(id: RequestId, event: string, data: unknown): void;
}

type Handler = (context: ServiceContext, params: p.Params, id: RequestId) => unknown;

function hello(context: ServiceContext): HelloResult {
  return {
    protocol: PROTOCOL_VERSION,
    pid: context.pid,
    socket: context.socket,
    startedAt: context.host.startedAt.toISOString(),
    config: context.host.config.source,
  };
}

function down(context: ServiceContext): DownResult {
  if (context.requestStop === null)
    throw new InvalidParamsError('There is no daemon to stop: these commands run in-process.');
  context.requestStop();
  return { stopping: true };
}

function cancel(context: ServiceContext, params: p.Params): { cancelled: boolean } {
  const id = params.id as RequestId;
  const stop = context.session.subscriptions.get(id);
  if (stop === undefined) return { cancelled: false };
  stop();
  context.session.subscriptions.delete(id);
  return { cancelled: true };
}

function trace(context: ServiceContext, params: p.Params, id: RequestId): TraceResult {
  const hub = context.host.trace;
  const volumeParam = p.optionalString(params, 'volume');
  const named = volumeParam === null ? null : p.volume(params);
  const volume = named?.display ?? null;
  // A volume that does not exist would only ever show nothing: say so instead.
  if (
    named !== null &&
    !context.host.volumes.has(named.display) &&
    context.host.system.ob.lookupNoParse(named.ntName) === undefined
  )
    throw new NtStatusError(
      STATUS_OBJECT_NAME_NOT_FOUND,
      'tracing',
      volume,
      'no such volume; `strata volumes` lists them',
    );
  const since = p.integer(params, 'since', 0, Number.MAX_SAFE_INTEGER, 0);
  const limit = p.integer(params, 'limit', 0, TRACE_CAPACITY, 1000);
  const follow = p.boolean(params, 'follow');
  const { subscriptions } = context.session;
  // Each subscription is a follower the hub calls for every record: an id reused while its
  // subscription is open would orphan the first one, and the count is bounded per client.
  if (follow && subscriptions.has(id))
    throw new InvalidParamsError(
      `Request id ${JSON.stringify(id)} already has a subscription open on this connection; cancel it or use another id.`,
    );
  if (follow && subscriptions.size >= MAX_SUBSCRIPTIONS)
    throw new InvalidParamsError(
      `A connection may follow at most ${MAX_SUBSCRIPTIONS} subscriptions at once; cancel one first.`,
    );
  const records = hub.records(volume, since, limit);
  if (follow) {
    const stop = hub.follow((record) => {
      if (volume === null || record.volume === volume) context.emit(id, 'trace', record);
    });
    subscriptions.set(id, stop);
  }
  return { records, spyLoaded: hub.active, following: follow };
}

const HANDLERS: Readonly<Record<(typeof METHOD_NAMES)[number], Handler>> = {
  hello,
  down,
  cancel,
  drivers: (c) => system.drivers(c.host),
  devices: (c) => system.devices(c.host),
  volumes: (c) => system.volumes(c.host),
  devstack: (c, params) => system.devstackOf(c.host, params),
  load: (c, params) => system.load(c.host, params),
  unload: (c, params) => system.unload(c.host, params),
  attach: (c, params) => system.attach(c.host, params, false),
  detach: (c, params) => system.attach(c.host, params, true),
  'mount-image': (c, params) => system.mountImage(c.host, params),
  dismount: (c, params) => system.dismount(c.host, params),
  trace,
  stat: (c, params) => files.stat(c.session, params),
  ls: (c, params) => files.ls(c.session, params),
  tree: (c, params) => files.tree(c.session, params),
  read: (c, params) => files.read(c.session, params),
  mkdir: (c, params) => files.mkdir(c.session, params),
  rm: (c, params) => files.rm(c.session, params),
  mv: (c, params) => transfer.mv(c.session, params),
  cp: (c, params) => transfer.cp(c.session, params),
  put: (c, params) => transfer.put(c.session, params),
  'upload-begin': (c, params) => transfer.uploadBegin(c.session, params),
  'upload-chunk': (c, params) => transfer.uploadChunk(c.session, params),
  'upload-commit': (c, params) => transfer.uploadCommit(c.session, params),
  'upload-abort': (c, params) => transfer.uploadAbort(c.session, params),
};

/** Runs one request to its reply. Never throws. */
export async function dispatch(context: ServiceContext, request: Request): Promise<Response> {
  const handler = Object.hasOwn(HANDLERS, request.method)
    ? HANDLERS[request.method as keyof typeof HANDLERS]
    : undefined;
  if (handler === undefined)
    return errorResponse(
      request.id,
      'UNKNOWN_METHOD',
      `Unknown method ${JSON.stringify(request.method.slice(0, 64))}; the daemon knows ${METHOD_NAMES.join(', ')}.`,
    );
  try {
    const result = await handler(context, request.params ?? {}, request.id);
    return { id: request.id, result };
  } catch (thrown) {
    const error = toControlError(thrown);
    if (error.code === 'INTERNAL')
      context.host.log(
        `Request ${request.method} failed internally: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`,
      );
    return { id: request.id, error };
  }
}
