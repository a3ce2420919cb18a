/**
 * @seatlock/shared: the contract the server and the agent both import. No framework, no
 * database, no I/O beyond crypto.
 */
export * from './errors';
export * from './catalog';
export * from './pricing';
export * from './armor';
export * from './fingerprint';
export * from './pki';
export * from './license';
export * from './revocation';
export * from './activation-request';
export * from './audit';
export * from './text';
export { jwsAlgorithmOf } from './jws';
export { runWithCodeCache, type CachedModule } from './code-cache';
