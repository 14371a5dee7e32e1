// What `dslab status` says about a node's neighbour entries: a permanent one (a large network's,
// set by up) is named as such, a learnt one shows its link-layer address, a failed one says what
// a connect will meet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SWITCH_OWNER, type Neighbour } from '../src/backends/netns/status.js';
import { neighbourMeaning } from '../src/cli/render/status.js';

const entry = (e: Omit<Neighbour, 'node' | 'dev'>): Neighbour => ({ node: 'h0', dev: 'eth0', ...e });

test('neighbour entries in words: permanent, learnt, failed', () => {
  assert.equal(
    neighbourMeaning(entry({ address: 'fd00:77::1', state: ['PERMANENT'], lladdr: '02:d4:00:00:00:00', owner: SWITCH_OWNER })),
    "the gateway address on the lab's switch at 02:d4:00:00:00:00, permanent: set by dslab up (a network of 64 or more nodes)",
  );
  assert.equal(neighbourMeaning(entry({ address: 'fd00:77::228', state: ['REACHABLE'], lladdr: '02:d5:00:00:01:2b', owner: 'h296' })), 'node h296 at 02:d5:00:00:01:2b');
  assert.match(neighbourMeaning(entry({ address: 'fd00:dead:beef::9999', state: ['FAILED'], owner: null })), /^no node has this address; neighbour discovery got no answer/);
});
