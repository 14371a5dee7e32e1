import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compiledSrcDir } from '../src/util/package-root.js';
import { labProbeTargets, probeArgv } from '../src/services/probe/plan.js';
import { parseProbeConfig } from '../src/services/probe/targets.js';
import { articleTopology } from './helpers/lab-fixtures.js';

test('every address of the lab is probed, by the method its node can answer', () => {
  const targets = labProbeTargets(articleTopology('webtest'));
  assert.deepEqual(targets, [
    { node: 'web', address: '172.30.0.10', family: 4, tcpPort: 80 },
    { node: 'web', address: 'fd00:dead:beef::10', family: 6, tcpPort: 80 },
    { node: 'dns', address: '172.30.0.53', family: 4, dnsPort: 53, dnsName: 'local' },
    { node: 'dns', address: 'fd00:dead:beef::53', family: 6, dnsPort: 53, dnsName: 'local' },
    { node: 'client', address: '172.30.0.20', family: 4 },
    { node: 'client', address: 'fd00:dead:beef::20', family: 6 },
  ]);
  // what the plan writes is what the probe program accepts
  assert.deepEqual(parseProbeConfig({ targets }, 'plan').targets, targets);
});

test('probeArgv runs the compiled probe with node, from its bundle where the build made one', () => {
  const argv = probeArgv('/run/dslab/x/probe.json');
  assert.equal(argv[0], process.execPath);
  assert.match(argv[1]!, existsSync(join(compiledSrcDir(), 'services', 'probe', 'main.bundle.js')) ? /services\/probe\/main\.bundle\.js$/ : /services\/probe\/main\.js$/);
  assert.deepEqual(argv.slice(2), ['--config', '/run/dslab/x/probe.json']);
});
