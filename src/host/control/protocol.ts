/**
 * The control protocol between `strata` and the daemon: framing, envelopes and errors.
 *
 * The user-mode side of a driver's private interface (like FileSpy's IOCTLs or a minifilter's
 * communication port), spoken over a Unix domain socket. Shared by client and server; it imports
 * nothing from the kernel, so the command line starts without loading it.
 *
 * Framing: UTF-8 JSON, one message per line, each line ending in `\n`. A line longer than
 * MAX_MESSAGE_BYTES (newline included) is discarded up to its newline and answered with a
 * MESSAGE_TOO_LARGE error; the connection stays usable.
 *
 * Envelopes:
 * - request  `{"id": 1, "method": "stat", "params": {"path": "M:\\a.txt"}}` (id: an integer or a
 *   string of at most 64 characters, unique among the client's requests in flight; params: an object,
 *   may be omitted);
 * - success  `{"id": 1, "result": {...}}`;
 * - failure  `{"id": 1, "error": {"code": "NTSTATUS", "message": "...", "status": "STATUS_…", ...}}`
 *   (`id` is null when the line could not be read as a request);
 * - event    `{"event": "trace", "id": 7, "data": {...}}`: pushed for a subscription, `id` is the
 *   request that opened it. Subscriptions end with the `cancel` method or the connection.
 * Replies to concurrent requests may come in any order; clients match them by id.
 */

export const PROTOCOL_VERSION = 1;
/** The longest line either side accepts, newline included. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** File data travels base64-encoded in chunks of at most this many bytes. */
export const DATA_CHUNK_BYTES = 1024 * 1024;
/** The longest string id a request may carry. */
export const MAX_ID_LENGTH = 64;

export type RequestId = number | string;

export interface Request {
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface SuccessResponse {
  id: RequestId;
  result: unknown;
}

export interface ErrorResponse {
  id: RequestId | null;
  error: ControlError;
}

export interface EventMessage {
  event: string;
  id: RequestId;
  data: unknown;
}

export type Response = SuccessResponse | ErrorResponse;
export type ServerMessage = Response | EventMessage;

/**
 * Why a request failed:
 * - BAD_JSON: the line is not JSON;
 * - MESSAGE_TOO_LARGE: the line exceeds MAX_MESSAGE_BYTES;
 * - BAD_REQUEST: JSON, but not a request envelope (no id, no method, params not an object);
 * - UNKNOWN_METHOD: no such method;
 * - INVALID_PARAMS: a parameter is missing or has the wrong type (`message` names it);
 * - NTSTATUS: the operation reached the kernel and failed (`status`, `statusCode`, `path`);
 * - HOST_ERROR: a host resource failed (an image file that cannot be opened);
 * - REPLY_TOO_LARGE: the answer would exceed MAX_MESSAGE_BYTES (narrow the request);
 * - SHUTTING_DOWN: the daemon is stopping and takes no new work;
 * - INTERNAL: a bug in the daemon; it keeps serving.
 */
export type ErrorCode =
  | 'BAD_JSON'
  | 'MESSAGE_TOO_LARGE'
  | 'BAD_REQUEST'
  | 'UNKNOWN_METHOD'
  | 'INVALID_PARAMS'
  | 'NTSTATUS'
  | 'HOST_ERROR'
  | 'REPLY_TOO_LARGE'
  | 'SHUTTING_DOWN'
  | 'INTERNAL';

export interface ControlError {
  code: ErrorCode;
  /** One sentence, sentence case, naming the status and the path where there are any. */
  message: string;
  /** For NTSTATUS errors: the symbolic name (STATUS_OBJECT_NAME_NOT_FOUND). */
  status?: string;
  /** For NTSTATUS errors: the value as an unsigned 32-bit number. */
  statusCode?: number;
  /** The Strata path the failure is about, as the client wrote it. */
  path?: string;
}

/** Serializes one message as a line. */
export function encodeMessage(message: Request | ServerMessage): string {
  return `${JSON.stringify(message)}\n`;
}

export function isRequestId(value: unknown): value is RequestId {
  return (
    (typeof value === 'number' && Number.isSafeInteger(value)) ||
    (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH)
  );
}

/** Reads one line as a request, or says why it is not one. */
export function parseRequest(line: string): { request: Request } | { error: ErrorResponse } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: errorResponse(null, 'BAD_JSON', 'The request is not valid JSON.') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: errorResponse(null, 'BAD_REQUEST', 'The request must be a JSON object.') };
  const { id, method, params } = value as Record<string, unknown>;
  if (!isRequestId(id)) {
    return {
      error: errorResponse(
        null,
        'BAD_REQUEST',
        `The request id must be an integer or a string of 1 to ${MAX_ID_LENGTH} characters.`,
      ),
    };
  }
  if (typeof method !== 'string' || method.length === 0)
    return { error: errorResponse(id, 'BAD_REQUEST', 'The request method must be a non-empty string.') };
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params)))
    return { error: errorResponse(id, 'BAD_REQUEST', 'The request params must be an object.') };
  return { request: { id, method, params: (params as Record<string, unknown> | undefined) ?? {} } };
}

export function errorResponse(
  id: RequestId | null,
  code: ErrorCode,
  message: string,
  extra: Omit<ControlError, 'code' | 'message'> = {},
): ErrorResponse {
  return { id, error: { code, message, ...extra } };
}

export type DecodedLine = { line: string } | { tooLarge: true };

/**
 * Splits a byte stream into lines of at most `maxBytes` (newline included). Bytes are kept until
 * their line is complete, so a multi-byte UTF-8 character split across chunks decodes whole.
 */
export class LineDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of a line that was already reported too large. */
  private discarding = false;

  constructor(private readonly maxBytes = MAX_MESSAGE_BYTES) {}

  /** Bytes held for an incomplete line. */
  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): DecodedLine[] {
    const out: DecodedLine[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline < 0) {
        this.keep(chunk.subarray(start), out);
        return out;
      }
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      if (this.pendingBytes + piece.length + 1 > this.maxBytes) {
        this.reset();
        out.push({ tooLarge: true });
        continue;
      }
      let bytes = piece;
      if (this.pendingBytes > 0) {
        this.pending.push(piece);
        bytes = Buffer.concat(this.pending, this.pendingBytes + piece.length);
        this.reset();
      }
      out.push({ line: bytes.toString('utf8') });
    }
  }

  private keep(rest: Buffer, out: DecodedLine[]): void {
    if (rest.length === 0 || this.discarding) return;
    if (this.pendingBytes + rest.length + 1 > this.maxBytes) {
      this.reset();
      this.discarding = true;
      out.push({ tooLarge: true });
      return;
    }
    // Copy: the stream may reuse the chunk's memory.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}
