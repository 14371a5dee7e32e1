/**
 * The Happy Eyeballs connector library in one import: RFC 8305 connecting, RFC 6724 sorting,
 * the winner cache, and the adapters for http.Agent / https.Agent and undici (fetch).
 */
export { happyConnect, createHappyConnector, type HappyConnector } from './connect.js';
export { HappyCache, defaultCache, delayFromRtts, interfacesFingerprint, type CacheEntry } from './cache.js';
export {
  boundDelay,
  normalizeOptions,
  DELAY_FLOOR_MS,
  DELAY_RECOMMENDED_MIN_MS,
  DELAY_MAX_MS,
  DEFAULT_CONNECTION_ATTEMPT_DELAY_MS,
  DEFAULT_RESOLUTION_DELAY_MS,
  SEQUENTIAL_ATTEMPT_TIMEOUT_MS,
  CACHE_TTL_MS,
} from './options.js';
export { sortDestinations, compareDestinations, commonPrefixLength, attributesOf, ruleName, type SortInput, type Attributes, type PairDecision } from './address-sort.js';
export { interleaveFamilies } from './interleave.js';
export {
  glibcTable,
  rfc6724Table,
  customTable,
  systemTable,
  parseGaiConf,
  tableFromGaiConf,
  scopeOf,
  labelOf,
  precedenceOf,
  type PolicyTable,
  type PrefixEntry,
  type ScopeV4Entry,
  type GaiConf,
} from './policy-table.js';
export { lookupHostsText, lookupHostsFile } from './hosts-file.js';
export { learnSource } from './source-address.js';
export { resolvePolicy, type SortExplanation } from './explain.js';
export { happyCreateConnection, HappyHttpAgent, HappyHttpsAgent } from './http-agent.js';
export { createUndiciConnector } from './undici-connector.js';
export type * from './types.js';
