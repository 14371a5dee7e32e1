/**
 * Named fault scenarios: the built-in ones (data/scenarios.yaml, shipped with dslab) and a
 * lab file's own (`scenarios:`), looked up by name and expanded into validated faults for a
 * lab. Pure apart from reading the data file once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';
import { DslabError } from '../errors.js';
import { rawScenario } from '../lab/schema.js';
import type { Topology } from '../lab/topology.js';
import { packageRoot } from '../util/package-root.js';
import type { Fault, RawFault, Scenario } from './types.js';
import { validateFaults } from './validate.js';

export const DEFAULT_TARGET = 'dual-ok.local';
export const SCENARIO_NAME = /^[a-z][a-z0-9-]{0,39}$/;

const rawScenarios = z.record(z.string(), rawScenario);

let builtin: Scenario[] | undefined;

export function scenariosFile(): string {
  return join(packageRoot(), 'data', 'scenarios.yaml');
}

export function toScenarios(value: Record<string, z.infer<typeof rawScenario>>, source: Scenario['source']): Scenario[] {
  return Object.entries(value).map(([name, s]) => ({
    name,
    description: s.description ?? '',
    target: s.target ?? DEFAULT_TARGET,
    faults: s.faults as RawFault[],
    source,
  }));
}

/** The scenarios shipped with dslab, in file order. */
export function builtinScenarios(): Scenario[] {
  if (!builtin) {
    const parsed = rawScenarios.parse(parse(readFileSync(scenariosFile(), 'utf8')));
    builtin = toScenarios(parsed, 'builtin');
  }
  return builtin;
}

/** Built-in scenarios and the lab's own (a lab's scenario of the same name wins). */
export function allScenarios(topology?: Topology): Scenario[] {
  const own = topology?.scenarios ?? [];
  return [...builtinScenarios().filter((b) => !own.some((o) => o.name === b.name)), ...own];
}

export function findScenario(name: string, topology?: Topology, field = '--scenario'): Scenario {
  const all = allScenarios(topology);
  const found = all.find((s) => s.name === name);
  if (found) return found;
  throw new DslabError('DSLAB_E_SCENARIO_UNKNOWN', `There is no scenario "${name}".`, {
    field,
    value: name,
    hint: `Use one of: ${all.map((s) => s.name).join(', ')} ("dslab fault scenarios" describes them), or define it under scenarios: in the lab file.`,
  });
}

/** The faults of scenario `name` for `topology`, numbered after `existing`. */
export function scenarioFaults(name: string, topology: Topology, existing: readonly Fault[] = []): Fault[] {
  const scenario = findScenario(name, topology);
  return validateFaults(scenario.faults, topology, existing, ['scenarios', name, 'faults'], name);
}

/** A lab file's `scenarios:`: names checked, and each scenario's faults validated against the lab. */
export function validateScenarios(raw: Record<string, z.infer<typeof rawScenario>>, topology: Topology): Scenario[] {
  for (const name of Object.keys(raw)) {
    if (!SCENARIO_NAME.test(name)) {
      throw new DslabError('DSLAB_E_LAB_NAME', `scenarios.${name} is not a usable scenario name.`, {
        field: `scenarios.${name}`,
        value: name,
        hint: 'Use 1-40 characters: a lower-case letter, then lower-case letters, digits or "-", e.g. "v6-slow".',
        details: { path: ['scenarios', name] },
      });
    }
    validateFaults(raw[name]!.faults, topology, [], ['scenarios', name, 'faults']);
  }
  return toScenarios(raw, 'lab');
}
