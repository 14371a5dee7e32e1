/**
 * dslab as a library: the lab model, the Happy Eyeballs connector and the address tools.
 */
export { DslabError, isDslabError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { DslabErrorOptions } from './errors.js';
export type * from './lab/topology.js';
export type { Route } from './lab/routes.js';
export type { Fault, NetFault, DnsFault, Scenario, RawFault } from './faults/types.js';
export { loadLab, parseLab, defaultLabPath } from './lab/load.js';
export { labWarnings } from './lab/warnings.js';
export { up, down, downAll, status, listLabs, resolveLab, nodeCommand, runInNode, labStateDir, loadLabState } from './backends/netns/index.js';
export type { UpOptions, UpResult, DownResult, LabStatus, LabSummary } from './backends/netns/index.js';
export type { FormedAddress } from './backends/netns/slaac.js';
export type { DownOptions, LabHealth, Mode, ServiceKind } from './backends/netns/index.js';
export type { Neighbour } from './backends/netns/status.js';
export type { Refusal } from './backends/netns/journal-trust.js';
export type { ServiceHealth } from './backends/netns/services.js';
export type { Ipv6Probe } from './backends/netns/ipv6-check.js';
export type { KernelChange } from './backends/netns/kernel-limits.js';
export type { RunOptions, RunResult } from './util/run.js';
export * from './addr/index.js';
export type { Address, Family as AddressFamily } from './addr/bits.js';
export type { IPv6Syntax } from './addr/ipv6-syntax.js';
// the connector's own list (src/connector/happy-eyeballs.ts); both it and the lab model name `4 | 6` Family
export * from './connector/happy-eyeballs.js';
export type { Family } from './lab/topology.js';
export type { Family as ConnectorFamily } from './connector/types.js';
export type { Decision, SortOutcome } from './connector/address-sort.js';
export type { NormalizedOptions } from './connector/options.js';
export type { HostsEntry } from './connector/hosts-file.js';
export type { SourceInfo } from './connector/source-address.js';
export type { Callback, ConnectionOptions } from './connector/http-agent.js';
export type { UndiciConnector, UndiciConnectOptions } from './connector/undici-connector.js';
export { reportFromResult, reportFromError, type ConnectReport } from './connector/report.js';
export { raceFromConnect, raceFromResult, type Race, type Lane, type RaceAnswer, type RaceMark } from './reports/race.js';
export type { ConnectLike, AttemptLike } from './reports/race.js';
export { renderRaceSvg, type RaceSvgOptions } from './reports/race-svg.js';
