/**
 * The DNS faults one DNS server applies: those for every server and those for its node,
 * in the file form the server reads (services/dns/faults.ts).
 */
import type { DnsFaultRule, DnsFaultsFile } from '../services/dns/faults.js';
import { isDnsFault, type Fault } from './types.js';

export function dnsRulesFor(faults: readonly Fault[], node: string): DnsFaultRule[] {
  return faults.filter(isDnsFault).filter((f) => f.node === undefined || f.node === node).map((f) => ({
    id: f.id,
    name: f.name,
    type: f.type,
    answer: f.answer,
    ...(f.delayMs !== undefined ? { delayMs: f.delayMs } : {}),
    ...(f.address !== undefined ? { address: f.address } : {}),
  }));
}

export function dnsFaultsFile(faults: readonly Fault[], node: string, generation: number): DnsFaultsFile {
  return { generation, faults: dnsRulesFor(faults, node) };
}
