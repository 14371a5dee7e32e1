/**
 * dslab as a library: the lab model, the Happy Eyeballs connector and the address tools.
 */
export { DslabError, isDslabError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type * from './lab/topology.js';
export { loadLab, parseLab, defaultLabPath } from './lab/load.js';
export { labWarnings } from './lab/warnings.js';
export { up, down, downAll, status, listLabs, resolveLab, nodeCommand, runInNode, labStateDir, loadLabState } from './backends/netns/index.js';
export type { UpOptions, UpResult, DownResult, LabStatus, LabSummary } from './backends/netns/index.js';
export * from './addr/index.js';
// the connector's own list (src/connector/happy-eyeballs.ts); both it and the lab model name `4 | 6` Family
export * from './connector/happy-eyeballs.js';
export type { Family } from './lab/topology.js';
export { reportFromResult, reportFromError, type ConnectReport } from './connector/report.js';
export { raceFromConnect, raceFromResult, type Race, type Lane, type RaceAnswer, type RaceMark } from './reports/race.js';
export { renderRaceSvg, type RaceSvgOptions } from './reports/race-svg.js';
