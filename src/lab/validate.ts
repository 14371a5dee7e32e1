/**
 * From the parsed YAML value of a lab file to a validated Topology: first the shape
 * (zod: types, allowed keys), then the meaning (names, subnets, addresses, references,
 * records). The first problem is thrown; all shape problems are listed in
 * `details.problems`. Pure: nothing is created or read here.
 */
import { DslabError } from '../errors.js';
import { problemsFromIssues } from './issues.js';
import { labProblem } from './problem.js';
import { DEFAULT_LAB_NAME, LAB_NAME, LAB_NAME_HINT } from './rules.js';
import { rawLab } from './schema.js';
import { validateNetworks } from './validate-networks.js';
import { validateNodes } from './validate-nodes.js';
import { applyMtus, applyRouters } from './validate-routing.js';
import { applyNat64 } from './validate-nat64.js';
import { validateRecords } from './validate-records.js';
import type { Topology } from './topology.js';
import { validateFaults } from '../faults/validate.js';
import { validateScenarios } from '../faults/scenarios.js';

export function validateLab(value: unknown, source: string): Topology {
  if (value === null || value === undefined) {
    throw labProblem('DSLAB_E_LAB_INVALID', [], 'is empty', { hint: 'Describe the lab: name, networks, nodes and records (see examples/default.yaml).' });
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw labProblem('DSLAB_E_LAB_TYPE', [], `is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a map`, {
      value,
      hint: 'A lab file is a map with the keys name, networks, nodes, records and zones (see examples/default.yaml).',
    });
  }
  const shape = rawLab.safeParse(value, { reportInput: true });
  if (!shape.success) {
    const problems = problemsFromIssues(shape.error.issues);
    const first = problems[0] as DslabError;
    throw new DslabError(first.code, first.message, {
      field: first.field,
      value: first.value,
      hint: first.hint,
      cause: shape.error,
      details: { ...first.details, problems: problems.map((p) => p.toJSON()) },
    });
  }
  const raw = shape.data;
  const name = raw.name ?? DEFAULT_LAB_NAME;
  if (!LAB_NAME.test(name)) {
    throw labProblem('DSLAB_E_LAB_NAME', ['name'], 'is not a usable lab name (it prefixes every namespace: <lab>-<node>)', { value: name, hint: LAB_NAME_HINT });
  }
  const networks = validateNetworks(raw.networks);
  applyMtus(raw, networks);
  const nodes = validateNodes(raw.nodes, networks);
  applyRouters(nodes, networks);
  applyNat64(raw, nodes, networks);
  const { records, zones } = validateRecords(raw.records ?? [], raw.zones);
  if (records.length > 0 && !nodes.some((n) => n.role === 'dns')) {
    throw labProblem('DSLAB_E_LAB_ROLE', ['nodes'], `has no node with role dns, but the lab has ${records.length} DNS records`, {
      hint: 'Add a node with role: dns to serve the records (or remove the records).',
    });
  }
  const topology: Topology = { name, networks, nodes, records, zones, source };
  if (raw.scenarios) topology.scenarios = validateScenarios(raw.scenarios, topology);
  if (raw.faults && raw.faults.length > 0) topology.faults = validateFaults(raw.faults, topology);
  return topology;
}
