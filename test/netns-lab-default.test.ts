/**
 * The article's lab, brought up for real as lab nt1: from the client, with the real tools,
 * both families work over HTTP and ping, curl prefers IPv6 for dual-ok.local and falls back
 * to IPv4 for dual-badv6.local, and the node's own files are in place.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNode } from '../src/backends/netns/exec.js';
import { findProgram } from '../src/util/find-program.js';
import { dslab, netnsSkipReason, withLab } from './helpers/netns-lab.js';

const LAB = 'nt1';

test('default lab: addresses, HTTP, ping and Happy Eyeballs from the client', { skip: netnsSkipReason(['curl']), timeout: 60_000 }, async (t) => {
  await withLab(LAB, undefined, async (lab) => {
    assert.equal(lab.lab, LAB);
    assert.deepEqual(lab.namespaces.sort(), [`${LAB}-client`, `${LAB}-dns`, `${LAB}-sw`, `${LAB}-web`]);
    assert.ok(lab.ipv6Check.length === 3 && lab.ipv6Check.every((p) => p.ok), JSON.stringify(lab.ipv6Check));
    const client = (argv: string[]) => runInNode(LAB, 'client', argv, { allowFailure: true, timeoutMs: 20_000 });

    await t.test('eth0 has both addresses, none tentative, and default routes on both families', async () => {
      const addr = JSON.parse((await client(['ip', '-j', 'addr', 'show', 'dev', 'eth0'])).stdout) as Array<{ addr_info: Array<{ family: string; local: string; tentative?: boolean; dadfailed?: boolean }> }>;
      const info = addr[0]!.addr_info;
      assert.ok(info.some((a) => a.family === 'inet' && a.local === '172.30.0.20'));
      assert.ok(info.some((a) => a.family === 'inet6' && a.local === 'fd00:dead:beef::20'));
      assert.ok(info.every((a) => !a.tentative && !a.dadfailed), JSON.stringify(info));
      const r4 = (await client(['ip', '-4', 'route', 'show', 'default'])).stdout;
      const r6 = (await client(['ip', '-6', 'route', 'show', 'default'])).stdout;
      assert.match(r4, /default via 172\.30\.0\.1 dev eth0/);
      assert.match(r6, /default via fd00:dead:beef::1 dev eth0/);
    });

    await t.test('HTTP over each family reaches the web node and /whoami names the family', async () => {
      const v4 = await client(['curl', '-sS', '-4', 'http://172.30.0.10/whoami']);
      const v6 = await client(['curl', '-sS', '-6', '-g', 'http://[fd00:dead:beef::10]/whoami']);
      assert.equal(v4.code, 0, v4.stderr);
      assert.equal(v6.code, 0, v6.stderr);
      assert.match(v4.stdout, /172\.30\.0\.20/);
      assert.match(v4.stdout, /IPv4/);
      assert.match(v6.stdout, /fd00:dead:beef::20/);
      assert.match(v6.stdout, /IPv6/);
    });

    await t.test('ping works over each family', async () => {
      for (const target of ['172.30.0.10', 'fd00:dead:beef::10', '172.30.0.53', 'fd00:dead:beef::53']) {
        const r = await client(['ping', '-c', '1', '-W', '2', target]);
        assert.equal(r.code, 0, `${target}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, /1 received/);
      }
    });

    await t.test('curl prefers IPv6 for dual-ok.local (names come from the lab DNS)', async () => {
      const r = await client(['curl', '-sS', '-v', '-o', '/dev/null', 'http://dual-ok.local/']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Connected to dual-ok\.local \(fd00:dead:beef::10\) port 80/);
    });

    await t.test('curl falls back to IPv4 for dual-badv6.local', async () => {
      const r = await client(['curl', '-sS', '-v', '--connect-timeout', '3', '-o', '/dev/null', 'http://dual-badv6.local/']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Trying \[fd00:dead:beef::9999\]:80/);
      assert.match(r.stderr, /Connected to dual-badv6\.local \(172\.30\.0\.10\) port 80/);
    });

    await t.test('the node has its own resolv.conf, hosts and nsswitch.conf', async () => {
      const resolv = (await client(['cat', '/etc/resolv.conf'])).stdout;
      assert.match(resolv, /^nameserver 172\.30\.0\.53$/m);
      assert.match(resolv, /^nameserver fd00:dead:beef::53$/m);
      const hosts = (await client(['cat', '/etc/hosts'])).stdout;
      assert.match(hosts, /^172\.30\.0\.20\tclient$/m);
      assert.doesNotMatch(hosts, /dual-ok|172\.30\.0\.10/);
      const nss = (await client(['cat', '/etc/nsswitch.conf'])).stdout;
      assert.match(nss, /^hosts: files dns$/m);
      assert.doesNotMatch(nss, /mdns/);
    });

    await t.test('destinations outside the lab fail at once as unreachable', async () => {
      const start = Date.now();
      const v4 = await client(['ping', '-c', '1', '-W', '5', '192.0.2.1']);
      const v6 = await client(['ping', '-c', '1', '-W', '5', '2001:db8::1']);
      assert.notEqual(v4.code, 0);
      assert.notEqual(v6.code, 0);
      assert.match(v4.stdout + v4.stderr, /Unreachable/i);
      assert.match(v6.stdout + v6.stderr, /unreachable/i);
      assert.ok(Date.now() - start < 4000, 'unreachable is reported at once, not after a timeout');
    });

    await t.test('the address no node has (fd00:dead:beef::9999) times out rather than being refused', async () => {
      const start = Date.now();
      const r = await client(['curl', '-sS', '-g', '--connect-timeout', '1', 'http://[fd00:dead:beef::9999]/']);
      assert.equal(r.code, 28, `curl exit 28 is a timeout; got ${r.code}: ${r.stderr}`);
      assert.ok(Date.now() - start >= 900);
    });

    await t.test('without a short timeout, ::9999 fails with EHOSTUNREACH when neighbour discovery gives up (~3 s); status shows FAILED', { skip: findProgram('python3') ? false : 'needs python3' }, async () => {
      // wait out the curl above: an attempt started during its resolution would fail sooner
      for (let i = 0; i < 50 && /INCOMPLETE/.test((await client(['ip', '-6', 'neigh', 'show', 'fd00:dead:beef::9999'])).stdout); i++) await new Promise((r) => setTimeout(r, 100));
      const py = "import socket, errno, time\ns = socket.socket(socket.AF_INET6)\ns.settimeout(20)\nt = time.monotonic()\ntry:\n    s.connect(('fd00:dead:beef::9999', 80))\nexcept OSError as e:\n    print(errno.errorcode.get(e.errno), round((time.monotonic() - t) * 1000), e.strerror)";
      const r = await client(['python3', '-c', py]);
      const [code, msText, ...why] = r.stdout.trim().split(' ');
      assert.equal(code, 'EHOSTUNREACH', `connect to ::9999: ${r.stdout} ${r.stderr}`);
      assert.equal(why.join(' '), 'No route to host');
      const took = Number(msText);
      assert.ok(took >= 2000 && took < 8000, `neighbour discovery gave up after ${took} ms (about 3 s expected)`);
      const st = JSON.parse((await dslab(['status', '--lab', LAB, '--json'])).stdout) as { neighbours: Array<{ node: string; address: string; state: string[]; owner: string | null }> };
      const entry = st.neighbours.find((n) => n.node === 'client' && n.address === 'fd00:dead:beef::9999');
      assert.ok(entry, JSON.stringify(st.neighbours));
      assert.deepEqual(entry.state, ['FAILED']);
      assert.equal(entry.owner, null);
      const text = await dslab(['status', '--lab', LAB]);
      assert.match(text.stdout, /client\s+fd00:dead:beef::9999\s+FAILED\s+no node has this address; .*No route to host/);
    });
  });
});
