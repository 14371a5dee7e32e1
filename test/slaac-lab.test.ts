/**
 * SLAAC and DHCPv6 labs (examples/slaac.yaml as lab sl1): router r1's radvd advertises the lan prefix,
 * and the nodes form their addresses themselves, read back from the kernel: the client's is the
 * prefix plus the modified EUI-64 of its own MAC (what `dslab addr eui64` computes), the
 * laptop's a stable-privacy one (RFC 7217, not from the MAC) plus a temporary one (RFC 8981);
 * DAD ran (the addresses went through tentative: accept_dad is on and they are not `nodad`).
 * `up` records the addresses (status, the lab's DNS names), the default route comes from the
 * RA, IPv6 to web works through r1, and the RA carries the DNS server (RDNSS, seen by rdisc6).
 * On the DHCPv6 network desk gets a /128 leased by r1's dnsmasq (logged, with the DNS server),
 * and dhcpcd leaves no file on the machine. Bad SLAAC lab files are refused with DSLAB_E_LAB_AUTOCONF and nothing is created.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { eui64 } from '../src/addr/eui64.js';
import { runInNode } from '../src/backends/netns/exec.js';
import { status } from '../src/backends/netns/status.js';
import { isDslabError } from '../src/errors.js';
import { parseLab } from '../src/lab/load.js';
import { findProgram } from '../src/util/find-program.js';
import { dslab, netnsSkipReason, withLab } from './helpers/netns-lab.js';

const LAB = 'sl1';
const PREFIX = 'fd00:30:1::/64';

interface AddrInfo {
  local: string;
  scope: string;
  temporary?: boolean;
  tentative?: boolean;
  stable_privacy?: boolean;
  'stable-privacy'?: boolean;
  mngtmpaddr?: boolean;
}

async function link(node: string): Promise<{ mac: string; addrs: AddrInfo[] }> {
  const r = await runInNode(LAB, node, ['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
  const [l] = JSON.parse(r.stdout) as Array<{ address: string; addr_info: Array<AddrInfo & { family: string }> }>;
  return { mac: l!.address, addrs: l!.addr_info.filter((a) => a.family === 'inet6' && a.scope === 'global') };
}

const dhcpcdFiles = (): string[] => (existsSync('/var/lib/dhcpcd') ? readdirSync('/var/lib/dhcpcd').sort() : []);
const dhcpcdBefore = dhcpcdFiles();

test('a SLAAC and DHCPv6 lab: addresses formed by the nodes or leased, recorded, named in DNS, routed by the RA', { skip: netnsSkipReason(['radvd', 'dnsmasq', 'dhcpcd']) }, async (t) => {
  await withLab(LAB, 'slaac', async (result) => {
    assert.equal(result.slaac.length, 4, 'client, laptop and kiosk formed addresses, desk got a lease');

    await t.test('client: prefix + modified EUI-64 of its MAC, as dslab addr computes it', async () => {
      const { mac, addrs } = await link('client');
      const expected = eui64(mac, PREFIX).slaac!.address;
      assert.deepEqual(addrs.map((a) => a.local), [expected], `kernel addresses of client (MAC ${mac})`);
      assert.ok(!addrs[0]!.tentative, 'DAD finished');
      assert.equal(result.slaac.find((f) => f.node === 'client')?.address, expected, 'up reported it');
      const dad = await runInNode(LAB, 'client', ['sysctl', '-n', 'net.ipv6.conf.eth0.accept_dad', 'net.ipv6.conf.eth0.dad_transmits']);
      assert.deepEqual(dad.stdout.trim().split('\n'), ['1', '1'], 'real DAD, one probe');
    });

    await t.test('laptop: a stable-privacy address (not from the MAC) and a temporary one', async () => {
      const { mac, addrs } = await link('laptop');
      const stable = addrs.filter((a) => !a.temporary);
      const temporary = addrs.filter((a) => a.temporary);
      assert.equal(stable.length, 1, JSON.stringify(addrs));
      assert.equal(temporary.length, 1, JSON.stringify(addrs));
      assert.notEqual(stable[0]!.local, eui64(mac, PREFIX).slaac!.address, 'stable-privacy is not the EUI-64 address');
      for (const a of addrs) assert.match(a.local, /^fd00:30:1:0:/);
      const formed = result.slaac.find((f) => f.node === 'laptop')!;
      assert.equal(formed.address, stable[0]!.local);
      assert.deepEqual(formed.temporary, [temporary[0]!.local]);
    });

    await t.test('status and the lab\'s DNS know the formed addresses', async () => {
      const st = status(LAB);
      const client = st.nodeList.find((n) => n.name === 'client')!;
      const formed = result.slaac.find((f) => f.node === 'client')!.address;
      assert.deepEqual(client.ipv6, [formed]);
      assert.ok(client.routes.some((r) => r.family === 6 && r.destination === 'default' && r.viaNode === 'r1'), 'the RA default route is shown');
      const dig = await runInNode(LAB, 'client', ['dig', '+short', '+time=2', '+tries=1', 'client.slaac.test', 'AAAA']);
      assert.equal(dig.stdout.trim(), formed, 'client.slaac.test AAAA is the SLAAC address');
    });

    await t.test('the IPv6 default route is the RA\'s, and IPv6 to web works through r1', async () => {
      const r = await runInNode(LAB, 'client', ['ip', '-j', '-6', 'route', 'show', 'default']);
      const [route] = JSON.parse(r.stdout) as Array<{ gateway: string; protocol: string }>;
      assert.equal(route?.protocol, 'ra');
      assert.match(route?.gateway ?? '', /^fe80:/);
      const curl = await runInNode(LAB, 'client', ['curl', '-6', '-sS', '--max-time', '3', 'http://www.slaac.test/whoami'], { allowFailure: true });
      assert.equal(curl.code, 0, curl.stderr);
      assert.ok(curl.stdout.includes(result.slaac.find((f) => f.node === 'client')!.address), `web saw the SLAAC address: ${curl.stdout}`);
    });

    await t.test('desk: a DHCPv6 lease from r1 (M flag), logged by the server, in DNS, routed; no dhcpcd file left on the machine', async () => {
      const { addrs } = await link('desk');
      assert.equal(addrs.length, 1, JSON.stringify(addrs));
      const leased = addrs[0]!;
      assert.match(leased.local, /^fd00:30:3::1[0-9a-f]{3}$/, 'inside the server\'s range ::1000-::1fff');
      assert.equal((leased as { prefixlen?: number }).prefixlen, 128, 'a DHCPv6 address is a /128; the /64 is on-link by the RA');
      assert.equal(result.slaac.find((f) => f.node === 'desk')?.address, leased.local);
      const logs = await dslab(['logs', '--lab', LAB, 'dhcpv6']);
      assert.match(logs.stdout, new RegExp(`DHCPREPLY\\(eth2\\) ${leased.local.replace(/[.:]/g, '\\$&')}`), logs.stdout);
      assert.match(logs.stdout, /option: 23 dns-server\s+fd00:30:2::53/, 'the DNS server went with the lease');
      const dig = await runInNode(LAB, 'client', ['dig', '+short', '+time=2', '+tries=1', 'desk.slaac.test', 'AAAA']);
      assert.equal(dig.stdout.trim(), leased.local);
      const curl = await runInNode(LAB, 'desk', ['curl', '-6', '-sS', '--max-time', '3', 'http://www.slaac.test/whoami'], { allowFailure: true });
      assert.equal(curl.code, 0, curl.stderr);
      assert.deepEqual(dhcpcdFiles(), dhcpcdBefore, 'dhcpcd ran on tmpfs: no lease or DUID file in the machine\'s /var/lib/dhcpcd');
    });

    await t.test('kiosk: a SLAAC address, the DNS servers by stateless DHCPv6 (O flag, an Information-request, no lease)', async () => {
      const { mac, addrs } = await link('kiosk');
      assert.deepEqual(addrs.map((a) => a.local), [eui64(mac, 'fd00:30:4::/64').slaac!.address], 'SLAAC, not leased');
      const formed = result.slaac.find((f) => f.node === 'kiosk')!;
      assert.deepEqual(formed.dnsServers, ['fd00:30:2::53'], "dhcpcd's hook reported the DNS servers of the reply");
      assert.equal(result.slaac.find((f) => f.node === 'desk')?.dnsServers?.[0], 'fd00:30:2::53', 'the lease brought them too');
      const logs = await dslab(['logs', '--lab', LAB, 'dhcpv6']);
      assert.match(logs.stdout, /DHCPINFORMATION-REQUEST\(eth3\)/);
      assert.match(logs.stdout, new RegExp(`client MAC address: ${mac}`, 'i'));
      assert.doesNotMatch(logs.stdout, /DHCPREPLY\(eth3\) fd00:30:4::/, 'no address leased on guest');
      const ra = await runInNode(LAB, 'kiosk', ['rdisc6', '-1', 'eth0'], { allowFailure: true });
      assert.equal(ra.code, 0, ra.stderr);
      assert.match(ra.stdout, /Stateful address conf\.\s*:\s*No[\s\S]*Stateful other conf\.\s*:\s*Yes/);
    });

    await t.test('radvd runs as the router\'s service, its log in dslab logs', async () => {
      const st = status(LAB);
      const radvd = st.services.find((x) => x.kind === 'radvd');
      assert.equal(radvd?.node, 'r1');
      assert.equal(radvd?.health, 'running');
      const logs = await dslab(['logs', '--lab', LAB, 'radvd']);
      assert.match(logs.stdout, /radvd \(\d+\): version [\d.]+ started/, logs.stdout + logs.stderr);
    });

    await t.test('the RA carries the prefix and the DNS server (RDNSS, RFC 8106)', { skip: findProgram('rdisc6') ? undefined : 'needs rdisc6 (apt-get install ndisc6)' }, async () => {
      const r = await runInNode(LAB, 'client', ['rdisc6', '-1', '-w', '2000', 'eth0'], { allowFailure: true });
      assert.match(r.stdout, /Prefix\s*:\s*fd00:30:1::\/64/, r.stdout);
      assert.match(r.stdout, /Recursive DNS server\s*:\s*fd00:30:2::53/, r.stdout);
    });
  });
});

const base = (lan: string, client = '{ ipv4: 10.31.1.20 }', extra = '') => `
name: bad
networks:
  - { name: lan, ipv4: 10.31.1.0/24, ipv6: ${lan} }
  - { name: srv, ipv4: 10.31.2.0/24, ipv6: "fd00:31:2::/64" }
nodes:
  - { name: r1, role: router, addresses: { lan: { ipv4: 10.31.1.254, ipv6: "fd00:31:1::fe" }, srv: { ipv4: 10.31.2.254, ipv6: "fd00:31:2::fe" } } }
  - { name: c, role: client, ${extra}addresses: { lan: ${client} } }
`;

test('bad SLAAC lab files are refused with DSLAB_E_LAB_AUTOCONF, the field and the fix', () => {
  assert.doesNotThrow(() => parseLab(base('{ prefix: "fd00:31:1::/64", autoconf: slaac }'), 'ok.yaml'));
  assert.doesNotThrow(() => parseLab(base('{ prefix: "fd00:31:1::/64", autoconf: dhcpv6 }'), 'ok.yaml'));
  // stateless DHCPv6: the node forms its address, so slaac: settings are allowed there
  assert.doesNotThrow(() => parseLab(base('{ prefix: "fd00:31:1::/64", autoconf: slaac+dhcpv6 }', '{ ipv4: 10.31.1.20 }', 'slaac: { temporary: true }, '), 'ok.yaml'));
  const cases: Array<[string, RegExp, RegExp]> = [
    [base('{ prefix: "fd00:31:1::/56", autoconf: slaac }'), /networks\[0\]\.ipv6\.prefix/, /\/56.*\/64/],
    [base('{ prefix: "fd00:31:1::/60", autoconf: slaac+dhcpv6 }'), /networks\[0\]\.ipv6\.prefix/, /\/60.*\/64/],
    [base('{ prefix: "fd00:31:1::/64", autoconf: slaac }', '{ ipv4: 10.31.1.20, ipv6: "fd00:31:1::20" }'), /nodes\[1\]\.addresses\.lan\.ipv6/, /fixed address.*SLAAC/],
    [base('"fd00:31:1::/64"', '{ ipv4: 10.31.1.20, ipv6: "fd00:31:1::20" }', 'slaac: { temporary: true }, '), /nodes\[1\]\.slaac/, /no network with autoconf/],
    [base('{ prefix: "fd00:31:1::/64", autoconf: slaac }').replace(/^  - \{ name: r1.*$/m, ''), /networks\[0\]/, /no router/],
  ];
  for (const [text, field, message] of cases) {
    assert.throws(
      () => parseLab(text, 'bad.yaml'),
      (err: unknown) => {
        assert.ok(isDslabError(err), String(err));
        assert.equal(err.code, 'DSLAB_E_LAB_AUTOCONF', err.message);
        assert.match(err.field ?? '', field, err.message);
        assert.match(err.message, message);
        assert.ok((err.hint ?? '').length > 10);
        return true;
      },
    );
  }
});
