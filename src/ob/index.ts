/** The object manager's public face. */

export * from './directory.ts';
export * from './handle-table.ts';
export * from './namespace.ts';
export * from './object-type.ts';
export * from './process.ts';
export * from './reference.ts';
export * from './symbolic-link.ts';
