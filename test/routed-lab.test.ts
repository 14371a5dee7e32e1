/**
 * Routed labs (examples/routed.yaml as lab rt1): the kernel's routes in every node are the ones
 * `dslab status` shows; curl reaches web by name across two routers in both families;
 * traceroute shows the router hops and tracepath the core's MTU of 1400; a `pmtud-blackhole`
 * fault on the router before the small link makes a large download hang while a small one
 * still works, and removing it mends it. Bad routed lab files are refused with their codes and
 * nothing is created.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { renderCompose } from '../src/backends/docker/compose-file.js';
import { runInNode } from '../src/backends/netns/exec.js';
import { status } from '../src/backends/netns/status.js';
import { isDslabError } from '../src/errors.js';
import { parseTraceroute } from '../src/experiments/node/parse-traceroute.js';
import { labPath, loadLab, parseLab } from '../src/lab/load.js';
import { findProgram } from '../src/util/find-program.js';
import { add, clear, faultSkipReason } from './helpers/fault-lab.js';
import { dslab, netnsSkipReason, withLab } from './helpers/netns-lab.js';

const LAB = 'rt1';
const WEB4 = '10.10.2.10';
const WEB6 = 'fd00:10:2::10';

interface KernelRoute {
  dst: string;
  gateway?: string;
  dev: string;
}

async function kernelRoutes(node: string, family: 4 | 6): Promise<KernelRoute[]> {
  const r = await runInNode(LAB, node, ['ip', '-j', `-${family}`, 'route', 'show']);
  return (JSON.parse(r.stdout) as KernelRoute[]).filter((x) => x.gateway !== undefined);
}

/** The hop addresses traceroute -n printed, in order (one per line after the header). */
function hops(out: string): string[] {
  return parseTraceroute(out)
    .map((h) => h.address)
    .filter((h): h is string => h !== undefined);
}

/**
 * Forgets the path MTUs every node has learnt (web's from Packet Too Big, the client's from
 * tracepath: a client that knows the path MTU advertises a smaller TCP MSS and so never gets a
 * segment too big), so that the next large response must learn it again.
 */
async function forgetPmtu(): Promise<void> {
  for (const node of ['client', 'r1', 'r2', 'web']) {
    await runInNode(LAB, node, ['ip', '-4', 'route', 'flush', 'cache']);
    await runInNode(LAB, node, ['ip', '-6', 'route', 'flush', 'cache']);
  }
}

const download = (url: string, family: 4 | 6) =>
  runInNode(LAB, 'client', ['curl', `-${family}`, '-sS', '-o', '/dev/null', '-w', '%{size_download}', '--connect-timeout', '2', '--max-time', '3', url], { allowFailure: true });

test('a routed lab: routes, both families across two routers, traceroute, tracepath, path-MTU black hole', { skip: faultSkipReason(['curl']) }, async (t) => {
  await withLab(LAB, 'routed', async () => {
    await t.test('the kernel has the routes status shows, through the routers', async () => {
      const st = status(LAB);
      for (const node of st.nodeList) {
        for (const family of [4, 6] as const) {
          const shown = node.routes.filter((r) => r.family === family).map((r) => `${r.destination} via ${r.via} dev ${r.ifname}`).sort();
          const kernel = (await kernelRoutes(node.name, family)).map((r) => `${r.dst} via ${r.gateway} dev ${r.dev}`).sort();
          assert.deepEqual(kernel, shown, `${node.name} IPv${family}`);
        }
      }
      const client = st.nodeList.find((n) => n.name === 'client')!;
      assert.deepEqual(
        client.routes.map((r) => [r.family, r.destination, r.via, r.viaNode]),
        [
          [4, 'default', '10.10.1.254', 'r1'],
          [6, 'default', 'fd00:10:1::fe', 'r1'],
        ],
      );
      const r1 = st.nodeList.find((n) => n.name === 'r1')!;
      assert.ok(r1.routes.some((r) => r.destination === 'fd00:10:2::/64' && r.via === 'fd00:10::12' && r.viaNode === 'r2'), 'r1 reaches dmz through r2');
      const forwarding = await runInNode(LAB, 'r1', ['sysctl', '-n', 'net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding']);
      assert.deepEqual(forwarding.stdout.trim().split('\n'), ['1', '1'], 'routers forward both families');
      const plain = await runInNode(LAB, 'client', ['sysctl', '-n', 'net.ipv6.conf.all.forwarding']);
      assert.equal(plain.stdout.trim(), '0', 'other nodes do not');
    });

    await t.test('curl reaches web by name in both families, through r1 and r2', async () => {
      for (const family of [4, 6] as const) {
        const r = await runInNode(LAB, 'client', ['curl', `-${family}`, '-sS', '--max-time', '3', 'http://www.routed.test/whoami'], { allowFailure: true });
        assert.equal(r.code, 0, `curl -${family}: ${r.stderr}`);
        assert.match(r.stdout, family === 4 ? /10\.10\.1\.20/ : /fd00:10:1::20/, 'web sees the client address: routed, not NATed');
      }
    });

    await t.test('traceroute shows r1, r2 and web in both families', { skip: findProgram('traceroute') ? undefined : 'needs traceroute (apt-get install traceroute)' }, async () => {
      const four = await runInNode(LAB, 'client', ['traceroute', '-n', '-q', '1', '-w', '2', WEB4]);
      assert.deepEqual(hops(four.stdout), ['10.10.1.254', '10.10.0.12', WEB4], four.stdout);
      const six = await runInNode(LAB, 'client', ['traceroute', '-6', '-n', '-q', '1', '-w', '2', WEB6]);
      assert.deepEqual(hops(six.stdout), ['fd00:10:1::fe', 'fd00:10::12', WEB6], six.stdout);
    });

    await t.test('tracepath finds the core link\'s MTU of 1400', { skip: findProgram('tracepath') ? undefined : 'needs tracepath (apt-get install iputils-tracepath)' }, async () => {
      const r = await runInNode(LAB, 'client', ['tracepath', '-n', WEB6], { allowFailure: true });
      assert.match(r.stdout, /pmtu 1400/, r.stdout);
    });

    await t.test('pmtud-blackhole on r2: a large response hangs, a small one works; fault rm mends it', async () => {
      const large6 = `http://[${WEB6}]/bytes/100000`;
      const large4 = `http://${WEB4}/bytes/100000`;
      await forgetPmtu();
      assert.equal((await download(large6, 6)).stdout, '100000', 'without the fault PMTUD works: web learns 1400 from r2\'s Packet Too Big');
      assert.equal((await download(large4, 4)).stdout, '100000');
      const [fault] = await add(LAB, 'pmtud-blackhole:node=r2');
      assert.ok(fault);
      await forgetPmtu();
      for (const [url, family] of [[large6, 6], [large4, 4]] as const) {
        const r = await download(url, family);
        assert.equal(r.code, 28, `the large download over IPv${family} connects, then stalls until curl's timeout: exit ${r.code} ${r.stderr}`);
        const small = await download(`http://${family === 6 ? `[${WEB6}]` : WEB4}/bytes/100`, family);
        assert.equal(small.stdout, '100', `small responses still pass over IPv${family}`);
      }
      const ls = await dslab(['fault', 'ls', '--lab', LAB, '--json']);
      const counted = (JSON.parse(ls.stdout) as { faults: Array<{ packets?: number }> }).faults[0]?.packets ?? 0;
      assert.ok(counted > 0, `the fault's counter saw the dropped Packet Too Big messages: ${ls.stdout}`);
      await clear(LAB);
      await forgetPmtu();
      assert.equal((await download(large6, 6)).stdout, '100000', 'fault rm mends it');
    });
  });
});

const ROUTER_ON_ONE = `
name: bad
networks: [{ name: a, ipv4: 10.91.1.0/24, ipv6: "fd00:91:1::/64" }]
nodes:
  - { name: r, role: router, addresses: { a: { ipv4: 10.91.1.254, ipv6: "fd00:91:1::fe" } } }
`;
const SMALL_V6_MTU = `
name: bad
networks: [{ name: a, ipv4: 10.91.1.0/24, ipv6: "fd00:91:1::/64", mtu: 1000 }]
nodes:
  - { name: c, role: client, addresses: { a: { ipv4: 10.91.1.20, ipv6: "fd00:91:1::20" } } }
`;
const ROUTER_NO_V6 = `
name: bad
networks:
  - { name: a, ipv4: 10.91.1.0/24, ipv6: "fd00:91:1::/64" }
  - { name: b, ipv4: 10.91.2.0/24 }
nodes:
  - { name: r, role: router, addresses: { a: { ipv4: 10.91.1.254 }, b: { ipv4: 10.91.2.254 } } }
`;

test('bad routed lab files are refused with their codes, naming the field and the fix', () => {
  const cases: Array<[string, string, RegExp]> = [
    [ROUTER_ON_ONE, 'DSLAB_E_LAB_ROUTER', /nodes\[0\]\.addresses.*router r.*two or more/s],
    [SMALL_V6_MTU, 'DSLAB_E_LAB_MTU', /networks\[0\]\.mtu.*1000.*1280.*RFC 8200/s],
    [ROUTER_NO_V6, 'DSLAB_E_LAB_ROUTER', /networks\[0\].*no IPv6 address/s],
  ];
  for (const [text, code, message] of cases) {
    assert.throws(
      () => parseLab(text, 'bad.yaml'),
      (err: unknown) => {
        assert.ok(isDslabError(err), String(err));
        assert.equal(err.code, code);
        assert.match(`${err.message} ${err.hint ?? ''}`, message);
        assert.ok(err.hint, 'says what to do');
        return true;
      },
    );
  }
  assert.doesNotThrow(() => parseLab(SMALL_V6_MTU.replace('mtu: 1000', 'mtu: 1280'), 'ok.yaml'), '1280 is allowed');
  assert.doesNotThrow(() => parseLab(SMALL_V6_MTU.replace(', ipv6: "fd00:91:1::/64", mtu: 1000', ', mtu: 576').replace(', ipv6: "fd00:91:1::20"', ''), 'ok.yaml'), 'an IPv4-only link may be smaller');
});

test('the Docker backend refuses routers and MTUs instead of building a flat lab', async () => {
  const routed = await loadLab(labPath('routed'));
  assert.throws(() => renderCompose(routed), (err: unknown) => isDslabError(err) && err.code === 'DSLAB_E_LAB_ROUTER' && /namespace backend/.test(err.hint ?? ''));
});

test('dslab up of a bad routed lab creates nothing', { skip: netnsSkipReason() }, async () => {
  const dir = await mkdtemp('/tmp/dslab-rt-');
  try {
    await writeFile(`${dir}/bad.yaml`, ROUTER_ON_ONE.replace('name: bad', 'name: rtbad'));
    const r = await dslab(['up', `${dir}/bad.yaml`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /DSLAB_E_LAB_ROUTER/);
    assert.equal(existsSync('/run/netns/rtbad-sw'), false);
    assert.equal(existsSync('/run/netns/rtbad-r'), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
