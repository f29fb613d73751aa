/** The control plane's public face: the protocol both sides speak, the client, the socket path. */
export * from './client.ts';
export * from './methods.ts';
export * from './paths.ts';
export * from './protocol.ts';
export * from './sizes.ts';
export * from './socket-path.ts';
