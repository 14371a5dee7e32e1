// `dslab up --corefile FILE` reads a Corefile's hosts entries as the lab's records: the root
// Corefile gives the default lab's own records; another Corefile replaces records and zones
// (and the lab text a client container runs says the same); anything the lab file's rules
// refuse is a DSLAB_E_COREFILE error naming the Corefile's line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDslabError } from '../src/errors.js';
import { defaultLabPath, loadLab, parseLab } from '../src/lab/load.js';
import { applyCorefileText } from '../src/services/dns/corefile-lab.js';
import { packageRoot } from '../src/util/package-root.js';

const LAB_TEXT = readFileSync(defaultLabPath(), 'utf8');

const sorted = <T extends { name: string; type: string; address: string }>(rs: readonly T[]) =>
  [...rs].sort((a, b) => `${a.name} ${a.type} ${a.address}`.localeCompare(`${b.name} ${b.type} ${b.address}`));

function errorOf(fn: () => unknown): { code: string; message: string; field: string | undefined; value: unknown } {
  try {
    fn();
  } catch (err) {
    assert.ok(isDslabError(err), `expected a DslabError, got ${String(err)}`);
    return { code: err.code, message: err.message, field: err.field, value: err.value };
  }
  assert.fail('expected an error');
}

test('the root Corefile gives the default lab its own records and zones', async () => {
  const lab = await loadLab();
  const corefile = readFileSync(join(packageRoot(), 'Corefile'), 'utf8');
  const applied = applyCorefileText(lab, corefile, 'Corefile', LAB_TEXT);
  assert.deepEqual(sorted(applied.topology.records), sorted(lab.records));
  assert.deepEqual(applied.topology.zones, lab.zones);
  assert.equal(applied.warnings.length, 1);
  assert.match(applied.warnings[0]!, /^Corefile:\d+: "forward \. 1\.1\.1\.1 8\.8\.8\.8" is not followed/);
  // nothing else of the lab changes
  assert.deepEqual(applied.topology.nodes, lab.nodes);
  assert.deepEqual(applied.topology.networks, lab.networks);
});

test('another Corefile replaces the records, its ttl and zones; the lab text says the same', async () => {
  const lab = await loadLab();
  const text = [
    'lab.test local {',
    '  hosts {',
    '    ttl 60',
    '    172.30.0.10 www.lab.test dual-ok.local',
    '    fd00:dead:beef::10 www.lab.test',
    '    fallthrough',
    '  }',
    '}',
  ].join('\n');
  const applied = applyCorefileText(lab, text, 'dk5.Corefile', LAB_TEXT);
  assert.deepEqual(sorted(applied.topology.records).map((r) => `${r.name} ${r.type} ${r.address} ${r.ttl}`), [
    'dual-ok.local A 172.30.0.10 60',
    'www.lab.test A 172.30.0.10 60',
    'www.lab.test AAAA fd00:dead:beef::10 60',
  ]);
  assert.deepEqual(applied.topology.zones, ['lab.test', 'local']);
  assert.deepEqual(applied.warnings, []);
  // the text a client container runs (lab.yaml) is a valid lab file with the same records
  const reread = parseLab(applied.labText, 'lab.yaml');
  assert.deepEqual(sorted(reread.records), sorted(applied.topology.records));
  assert.deepEqual(reread.zones, applied.topology.zones);
  assert.deepEqual(reread.nodes, lab.nodes);
});

test('a name outside its block\'s zone, a one-label name, clashing ttls: DSLAB_E_COREFILE naming the line', async () => {
  const lab = await loadLab();
  const zone = errorOf(() => applyCorefileText(lab, 'local {\n  hosts {\n    172.30.0.10 www.other\n  }\n}\n', 'C1', LAB_TEXT));
  assert.equal(zone.code, 'DSLAB_E_COREFILE');
  assert.equal(zone.field, 'C1:3');
  assert.equal(zone.value, 'www.other');
  const single = errorOf(() => applyCorefileText(lab, '. {\n  hosts {\n\n    172.30.0.10 web\n  }\n}\n', 'C2', LAB_TEXT));
  assert.equal(single.code, 'DSLAB_E_COREFILE');
  assert.equal(single.field, 'C2:4');
  assert.match(single.message, /^C2:4: "web" is not a usable DNS name/);
  const ttl = errorOf(() =>
    applyCorefileText(lab, 'a.local {\n  hosts {\n    ttl 60\n    172.30.0.10 x.a.local\n  }\n}\nb.local {\n  hosts {\n    172.30.0.11 x.a.local\n  }\n}\n', 'C3', LAB_TEXT),
  );
  assert.equal(ttl.field, 'C3:9');
  assert.match(ttl.message, /ttl 3600 here but ttl 60 on line 4/);
  const outside = errorOf(() => applyCorefileText(lab, '. {\n  cache 30\n}\n', 'C4', LAB_TEXT));
  assert.equal(outside.field, 'C4:2');
  const empty = errorOf(() => applyCorefileText(lab, '. {\n  log\n}\n', 'C5', LAB_TEXT));
  assert.equal(empty.code, 'DSLAB_E_COREFILE');
  assert.equal(empty.value, 'C5');
  assert.match(empty.message, /no hosts entries/);
});

test('a lab without a dns node cannot take a Corefile\'s records', async () => {
  const lab = await loadLab();
  const noDns = { ...lab, nodes: lab.nodes.filter((n) => n.role !== 'dns'), records: [] };
  const e = errorOf(() => applyCorefileText(noDns, readFileSync(join(packageRoot(), 'Corefile'), 'utf8'), 'Corefile', LAB_TEXT));
  assert.equal(e.code, 'DSLAB_E_COREFILE');
  assert.match(e.message, /no node with role dns/);
});
