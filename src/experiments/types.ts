/**
 * The data of a `dslab run`: the plan the host hands to the client node, the result of each
 * check, the events streamed back while the checks run, and the whole run's report.
 * Everything here is plain JSON so that it crosses the namespace boundary as text.
 */
import type { ClientsReport } from './clients.js';

/** The article's structure: environment, then experiments 1 (connectivity), 2 (DNS), 3 (fallback); 4 (routing) for labs with routers. */
export type Section = 'environment' | 'connectivity' | 'dns' | 'fallback' | 'routing' | 'nat64';

export const SECTIONS: readonly Section[] = ['environment', 'connectivity', 'dns', 'fallback', 'routing', 'nat64'];

export const SECTION_TITLES: Record<Section, string> = {
  environment: 'Environment',
  connectivity: 'Experiment 1: IPv4/IPv6 connectivity',
  dns: 'Experiment 2: name resolution (A and AAAA)',
  fallback: 'Experiment 3: fallback when IPv6 is broken',
  routing: 'Routing: routers, SLAAC and DHCPv6',
  nat64: 'NAT64: an IPv6-only network reaches IPv4 by name',
};

/** `skip`: a tool is missing; `n/a`: the lab offers nothing to check. Neither fails the run. */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'n/a';

/** Which program produced the observation: a real tool, or dslab's own code. */
export type CheckTool = 'curl' | 'dig' | 'ping' | 'ip' | 'dslab' | 'traceroute' | 'tracepath' | 'tcpdump' | 'rdisc6';

export interface CheckResult {
  /** Stable identifier, e.g. `dns.ok.aaaa.dig`. */
  id: string;
  section: Section;
  title: string;
  tool: CheckTool;
  /** What should be seen, in words. */
  expectation: string;
  /** What was seen, in words (one line). */
  observed: string;
  status: CheckStatus;
  /** Why it was skipped, not applicable, or failed. */
  reason?: string;
  /** Start, relative to the start of the experiments, and duration, in ms. */
  startMs: number;
  durationMs: number;
  /** The commands a person would type in the client node to see it themselves. */
  commands: string[];
  /** What was printed (trimmed), for the report; `outputSource` says who printed it. */
  output?: string;
  /** Where `output` comes from: a command this check ran (its exact command line), or dslab's own rendering. */
  outputSource?: OutputSource;
  /** Measured values, for JSON consumers and tests. */
  data?: Record<string, unknown>;
}

/**
 * Who printed a check's output. `command`: the program this check ran, captured in this run
 * (`command` is its exact command line; `excerpt` says what was kept, e.g. the first lines of
 * a trace). `dslab`: dslab's own code made the observation and this is dslab's rendering of
 * it, not the output of any command listed under the check.
 */
export type OutputSource = { kind: 'command'; command: string; excerpt?: string } | { kind: 'dslab'; what: string };

export interface PlanNode {
  name: string;
  role: string;
  ifname: string;
  ipv4?: string;
  ipv6?: string;
}

export interface PlanRecord {
  name: string;
  type: 'A' | 'AAAA';
  address: string;
}

/** A name the experiments use and the addresses it must resolve to. */
export interface PlanName {
  name: string;
  ipv4: string;
  ipv6: string;
}

/** What the client node needs to run the experiments: derived from the topology on the host. */
export interface RunPlan {
  lab: string;
  client: PlanNode;
  web: PlanNode & { port: number };
  /** The resolver the client uses (first address of its resolv.conf), for dslab's own queries. */
  resolver?: string;
  /** A name whose A and AAAA both point at the web node. */
  ok?: PlanName;
  /** A name whose A points at the web node and whose AAAA points at an address no node has. */
  broken?: PlanName;
  /** Happy Eyeballs Connection Attempt Delay used by dslab's client (RFC 8305 §5 recommends 250 ms). */
  happyDelayMs: number;
  /** Per-attempt timeout of the sequential client (the seed's ds_client.py: 2 s). */
  sequentialTimeoutMs: number;
  /** curl's own Happy Eyeballs delay (CURL_HET_DEFAULT). */
  curlDelayMs: number;
  /** Ping count and interval: short, so that the run is not a sum of sleeps. */
  ping: { count: number; intervalS: number };
}

/** One JSON line on the in-node runner's stdout. */
export type NodeEvent =
  /** First event: how many checks each section will report, so that a view knows when a section is complete. */
  | { type: 'expect'; counts: Partial<Record<Section, number>> }
  | { type: 'start'; id: string; section: Section; title: string; tool: CheckTool; atMs: number }
  | { type: 'result'; result: CheckResult }
  | { type: 'done'; wallMs: number }
  | { type: 'error'; message: string };

export interface RunSummary {
  total: number;
  pass: number;
  fail: number;
  skip: number;
  notApplicable: number;
  ok: boolean;
}

export interface RunEnvironment {
  date: string;
  kernel: string;
  node: string;
  backend: string;
  hostname: string;
  tools: Record<string, string | null>;
}

export interface RunReport {
  schema: 'dslab.run/1';
  lab: string;
  source: string;
  /** true when this run brought the lab up (and so takes it down unless --keep). */
  broughtUp: boolean;
  kept: boolean;
  environment: RunEnvironment;
  topology: {
    networks: Array<{ name: string; ipv4?: string; ipv6?: string }>;
    nodes: PlanNode[];
    records: PlanRecord[];
  };
  plan: RunPlan;
  checks: CheckResult[];
  summary: RunSummary;
  findings: string[];
  timings: { upMs: number; experimentsMs: number; downMs: number; wallMs: number };
  /** The opt-in experiment "how real clients fall back" (`dslab run --clients`), when it ran. */
  clients?: ClientsReport;
  /** Where the reports went; `races`: one SVG picture per race, next to the Markdown; `clients`: the client grid's picture. */
  files?: { markdown: string; json: string; junit: string; races?: string[]; clients?: string };
}
