/**
 * dslab as a library: the lab model, the Happy Eyeballs connector and the address tools.
 */
export { DslabError, isDslabError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type * from './lab/topology.js';
