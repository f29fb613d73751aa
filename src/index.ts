/** Strata's package entry: the kernel layers and the user-mode API. */

export * from './api/index.ts';
export * from './base/index.ts';
export * from './io/index.ts';
export * from './ob/index.ts';
