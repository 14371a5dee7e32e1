/**
 * The opt-in experiment "how real clients fall back" (`dslab run --clients`): the installed
 * built-in clients (curl, wget, Python, Node, Chromium, dslab's own) against a set of fault
 * scenarios, each run measured from its packets (src/measure/matrix.ts), and the article's
 * client table set against what was measured. Runs in the lab `dslab run` brought up (or
 * found up), after the article's three experiments; namespace backend only.
 */
import type { Topology } from '../lab/topology.js';
import type { MatrixResult } from '../measure/matrix.js';
import { compareWithArticle, type ArticleComparison } from './article-clients.js';

export interface ClientsOptions {
  /** Built-in client ids (`dslab measure --matrix --clients`); all installed ones when undefined. */
  clients?: string[];
  /** Scenario names; the matrix's default six when undefined. */
  scenarios?: string[];
}

export interface ClientsReport {
  /** The command a person runs to measure the same grid again. */
  command: string;
  matrix: MatrixResult;
  article: ArticleComparison[];
}

/** Refuses unknown clients and scenarios before anything is brought up (DSLAB_E_BAD_OPTION, DSLAB_E_SCENARIO_UNKNOWN). */
export async function checkClientsOptions(o: ClientsOptions, topology: Topology): Promise<void> {
  const [{ pickClients }, { findScenario }] = await Promise.all([import('../measure/matrix.js'), import('../faults/scenarios.js')]);
  pickClients(o.clients);
  for (const s of o.scenarios ?? []) findScenario(s, topology, '--scenarios');
}

export function clientsCommand(lab: string, o: ClientsOptions): string {
  return ['dslab measure --lab', lab, '--matrix', ...(o.clients ? ['--clients', o.clients.join(',')] : []), ...(o.scenarios ? ['--scenarios', o.scenarios.join(',')] : [])].join(' ');
}

export async function runClientsExperiment(lab: string, o: ClientsOptions & { signal?: AbortSignal; onProgress?: (message: string) => void }): Promise<ClientsReport> {
  const { runMatrix } = await import('../measure/matrix.js');
  const matrix = await runMatrix({
    lab,
    ...(o.clients ? { clients: o.clients } : {}),
    ...(o.scenarios ? { scenarios: o.scenarios } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: (m: string) => o.onProgress!(`clients experiment: ${m}`) } : {}),
  });
  return { command: clientsCommand(lab, o), matrix, article: compareWithArticle(matrix) };
}
