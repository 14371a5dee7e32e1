/**
 * Agreement with an independent implementation on this machine, Python's `ipaddress`, on a
 * seeded sample rich in zero runs: the canonical form and the reverse name, and the address
 * type through a written mapping from Python's true/false properties to our types.
 * Differences on purpose: RFC 5952 §5 writes IPv4-mapped (and -translated) addresses with a
 * dotted tail, Python before 3.13 writes them in hex. Python's answers changed between versions
 * (3.13 writes IPv4-mapped addresses dotted and answers their is_* properties for the embedded
 * IPv4 address; 3.12.4 and later follow IANA's "globally reachable" column inside 2001::/23),
 * so the mapping below accepts each version's answer and nothing else.
 * Replay a failure with DSLAB_ADDR_SEED=<seed>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ipaddr from 'ipaddr.js';
import { explainAddress, type AddressTypeId } from '../src/addr/index.js';
import { run } from '../src/util/run.js';
import { prng, sample, sampleSeed } from './helpers/addr-sample.js';

const seed = sampleSeed();
const COUNT = 3000;

const SCRIPT = `
import ipaddress, json, sys
for line in sys.stdin:
    a = ipaddress.ip_address(line.strip())
    out = {"str": str(a), "rev": a.reverse_pointer, "private": a.is_private, "global": a.is_global,
           "multicast": a.is_multicast, "loopback": a.is_loopback, "link_local": a.is_link_local,
           "unspecified": a.is_unspecified, "reserved": a.is_reserved}
    if a.version == 6:
        out.update({"site_local": a.is_site_local, "mapped": a.ipv4_mapped is not None,
                    "sixtofour": str(a.sixtofour) if a.sixtofour else None,
                    "teredo": [str(x) for x in a.teredo] if a.teredo else None})
    print(json.dumps(out))
`;

interface Py {
  str: string;
  rev: string;
  private: boolean;
  global: boolean;
  multicast: boolean;
  loopback: boolean;
  link_local: boolean;
  unspecified: boolean;
  reserved: boolean;
  site_local?: boolean;
  mapped?: boolean;
  sixtofour?: string | null;
  teredo?: [string, string] | null;
}

async function python(addresses: string[]): Promise<Py[] | string> {
  let version;
  try {
    version = await run('python3', ['-c', 'import sys; print(sys.version_info[0], sys.version_info[1])'], { timeoutMs: 10_000 });
  } catch {
    return 'python3 is not installed; install it to compare with Python\'s ipaddress';
  }
  const [major, minor] = version.stdout.trim().split(' ').map(Number);
  if (major !== 3 || (minor ?? 0) < 9) return `python3 is ${version.stdout.trim()}; the mapping below is written for 3.9 or later`;
  const out = await run('python3', ['-c', SCRIPT], { input: addresses.join('\n') + '\n', timeoutMs: 60_000 });
  return out.stdout.trim().split('\n').map((l) => JSON.parse(l) as Py);
}

/**
 * The mapping from Python's properties to our types. `iff` rows must agree both ways; `implies`
 * rows only one way, because Python lumps several of our types into one property (is_private,
 * is_reserved) and its lists differ in version (3fff::/20 of RFC 9637 is newer than 3.11).
 * Inside 2001::/23, IANA marks a few blocks globally reachable; Python 3.12.4+ says so
 * (is_private false), older versions call all of 2001::/23 private: there either answer is
 * accepted, but is_private and is_global must still be opposite.
 */
const IANA_GLOBAL_IN_2001_23 = ['2001:1::1/128', '2001:1::2/128', '2001:3::/32', '2001:4:112::/48', '2001:20::/28', '2001:30::/28'].map((c) => ipaddr.parseCIDR(c));
const inIanaGlobal = (text: string) => {
  const a = ipaddr.IPv6.parse(text);
  return IANA_GLOBAL_IN_2001_23.some(([net, len]) => a.match(net, len));
};
const privateUnlessIanaGlobal = (p: Py, text: string) => (inIanaGlobal(text) ? p.private !== p.global : p.private);
const IPV6_IFF: Array<[AddressTypeId, (p: Py) => boolean]> = [
  ['unspecified', (p) => p.unspecified],
  ['loopback', (p) => p.loopback],
  ['link-local', (p) => p.link_local],
  ['multicast', (p) => p.multicast],
  ['site-local', (p) => p.site_local === true],
  ['ipv4-mapped', (p) => p.mapped === true],
  ['6to4', (p) => p.sixtofour != null],
  ['teredo', (p) => p.teredo != null],
];
const IPV6_IMPLIES: Partial<Record<AddressTypeId, (p: Py, text: string) => boolean>> = {
  ula: (p) => p.private && !p.global,
  gua: (p) => p.global && !p.private,
  discard: (p) => p.private,
  benchmarking: (p) => p.private,
  'orchid-v2': privateUnlessIanaGlobal,
  'ietf-protocol': privateUnlessIanaGlobal,
  documentation: (p, text) => !text.startsWith('2001:db8:') || p.private,
  reserved: (p) => p.reserved,
  'ipv4-translated': (p) => p.reserved,
  nat64: (p) => p.reserved,
};

function isMappedOrTranslated(groups: number[]): boolean {
  const z = (n: number) => groups.slice(0, n).every((g) => g === 0);
  return (z(5) && groups[5] === 0xffff) || (z(4) && groups[4] === 0xffff && groups[5] === 0);
}

test(`IPv6 agrees with Python's ipaddress on ${COUNT} sampled addresses and a few chosen ones (seed ${seed})`, async (t) => {
  const items = sample(seed, COUNT);
  // where Python versions differ (see above), so each run meets those cases
  for (const text of ['::ffff:127.0.0.1', '::ffff:169.254.1.1', '::ffff:224.0.0.251', '::ffff:0.0.0.0', '2001:1::1', '2001:1::3', '2001:3::1', '2001:4:112::53', '2001:2::1']) {
    items.push({ text, groups: ipaddr.IPv6.parse(text).parts });
  }
  const py = await python(items.map((i) => i.text));
  if (typeof py === 'string') {
    t.skip(py);
    return;
  }
  const seen = new Set<AddressTypeId>();
  items.forEach(({ groups, text }, i) => {
    const p = py[i]!;
    const e = explainAddress(text);
    const where = `${text} (seed ${seed}; replay with DSLAB_ADDR_SEED=${seed})`;
    if (isMappedOrTranslated(groups)) {
      // RFC 5952 §5: dotted tail; Python before 3.13 writes hex (then the hex form must agree),
      // 3.13 and later write IPv4-mapped addresses dotted as we do
      assert.match(e.forms.canonical, /\.\d+$/, where);
      if (p.str.includes('.')) assert.equal(e.forms.canonical, p.str, `dotted form of ${where}`);
      else assert.equal(new ipaddr.IPv6(groups).toRFC5952String(), p.str, `hex form of ${where}`);
    } else {
      assert.equal(e.forms.canonical, p.str, `canonical form of ${where}`);
    }
    assert.equal(e.reverse.name, p.rev, `reverse name of ${where}`);
    seen.add(e.type.type);
    // Python 3.13+ answers is_loopback, is_link_local, is_multicast and is_unspecified of an
    // IPv4-mapped address for the embedded IPv4 address; older versions for the IPv6 range
    const embedded = e.type.type === 'ipv4-mapped' ? explainAddress(e.type.embeddedIpv4![0]!.address).type.type : undefined;
    for (const [type, prop] of IPV6_IFF) {
      const ours = e.type.type === type;
      if (embedded !== undefined && prop(p) !== ours) {
        assert.equal(embedded === type, prop(p), `${type} <=> Python property of the embedded IPv4 of ${where}: we say ${embedded}`);
      } else {
        assert.equal(ours, prop(p), `${type} <=> Python property for ${where}: we say ${e.type.type}`);
      }
    }
    const implied = IPV6_IMPLIES[e.type.type];
    if (implied) assert.ok(implied(p, e.forms.canonical), `${e.type.type} => Python ${JSON.stringify(p)} for ${where}`);
    if (p.sixtofour) assert.equal(e.type.embeddedIpv4?.[0]?.address, p.sixtofour, `6to4 IPv4 of ${where}`);
    if (p.teredo) {
      assert.equal(e.type.embeddedIpv4?.[0]?.address, p.teredo[0], `Teredo server of ${where}`);
      assert.equal(e.type.embeddedIpv4?.[1]?.address, p.teredo[1], `Teredo client of ${where}`);
    }
  });
  for (const type of ['unspecified', 'loopback', 'link-local', 'multicast', 'site-local', 'ipv4-mapped', '6to4', 'teredo', 'ula', 'gua', 'documentation', 'reserved'] as const) {
    assert.ok(seen.has(type), `the sample has no ${type} address (seed ${seed})`);
  }
});

test(`IPv4 agrees with Python's ipaddress on a sampled set (seed ${seed})`, async (t) => {
  const rand = prng(seed);
  const firsts = [0, 10, 100, 127, 169, 172, 192, 198, 203, 224, 239, 240, 255];
  const texts = Array.from({ length: 2000 }, () => {
    const a = rand() < 0.6 ? firsts[Math.floor(rand() * firsts.length)]! : Math.floor(rand() * 256);
    const rest = [0, 0, 0].map(() => (rand() < 0.3 ? [0, 255, 2, 100][Math.floor(rand() * 4)]! : Math.floor(rand() * 256)));
    return [a, ...rest].join('.');
  });
  texts.push('255.255.255.255', '0.0.0.0', '169.254.1.1');
  const py = await python(texts);
  if (typeof py === 'string') {
    t.skip(py);
    return;
  }
  texts.forEach((text, i) => {
    const p = py[i]!;
    const e = explainAddress(text);
    const where = `${text} (seed ${seed})`;
    assert.equal(e.forms.canonical, p.str, where);
    assert.equal(e.reverse.name, p.rev, `reverse name of ${where}`);
    const type = e.type.type;
    assert.equal(type === 'loopback', p.loopback, `loopback <=> is_loopback: ${where}`);
    assert.equal(type === 'link-local', p.link_local, `link-local <=> is_link_local: ${where}`);
    assert.equal(type === 'multicast', p.multicast, `multicast <=> is_multicast: ${where}`);
    assert.equal(type === 'unspecified', p.unspecified, `unspecified <=> is_unspecified: ${where}`);
    assert.equal(type === 'reserved' || type === 'broadcast', p.reserved, `reserved or broadcast <=> is_reserved (240/4): ${where}`);
    if (type === 'private' || type === 'documentation' || type === 'this-network' || type === 'benchmarking') assert.ok(p.private, `${type} => is_private: ${where}`);
    if (type === 'public') assert.ok(p.global && !p.private, `public => is_global: ${where}`);
  });
});
