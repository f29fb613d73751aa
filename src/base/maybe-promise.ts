/**
 * Values that are ready now or later.
 *
 * The I/O manager returns a plain value when nothing pended and a promise only when some driver
 * returned STATUS_PENDING (DESIGN, execution model). These helpers chain such values without
 * creating a promise or a microtask on the synchronous path.
 */

export type MaybePromise<T> = T | Promise<T>;

/** True when the value is a thenable still to settle. */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof value === 'object' && value !== null && typeof (value as Promise<T>).then === 'function';
}

/**
 * Applies `next` now when `value` is ready, or after it settles. (Not named `then`: a module that
 * exported `then` would make its namespace a thenable, and `await import()` of it would misbehave.)
 */
export function whenReady<T, U>(
  value: MaybePromise<T>,
  next: (value: T) => MaybePromise<U>,
): MaybePromise<U> {
  return isPromise(value) ? value.then(next) : next(value);
}

/** Thrown by a synchronous entry point when the request it made went asynchronous. */
export class WouldBlockError extends Error {
  readonly code = 'EWOULDBLOCK';
  constructor(operation: string) {
    super(
      `${operation} cannot complete synchronously: a driver pended the request (STATUS_PENDING); use the asynchronous form`,
    );
    this.name = 'WouldBlockError';
  }
}

/** Returns the value when ready now; throws WouldBlockError when it is still a promise. */
export function mustBeSync<T>(value: MaybePromise<T>, operation: string): T {
  if (isPromise(value)) {
    // The request keeps running; swallow its eventual rejection so it is not reported as unhandled.
    value.catch(() => undefined);
    throw new WouldBlockError(operation);
  }
  return value;
}
