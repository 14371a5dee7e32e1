/**
 * ULAs: the article's breakdown of fd00:dead:beef::10, and new prefixes made the RFC 4193
 * §3.2.2 way (checked against Python's hashlib doing the same steps) or at random.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainAddress, generateUla, ntpTimestamp } from '../src/addr/index.js';
import { run } from '../src/util/run.js';

test('the article\'s breakdown of fd00:dead:beef::10', () => {
  const u = explainAddress('fd00:dead:beef::10').ula;
  assert.ok(u);
  assert.equal(u.lBit, 1);
  assert.equal(u.globalId, '00deadbeef');
  assert.equal(u.globalIdInAddress, '00:dead:beef');
  assert.equal(u.subnetId, '0000');
  assert.equal(u.interfaceId, '0000:0000:0000:0010');
  assert.equal(u.sitePrefix, 'fd00:dead:beef::/48');
  assert.equal(u.subnetPrefix, 'fd00:dead:beef::/64');
  assert.match(u.notes.join(' '), /not random/);
});

test('a ULA with a random-looking global ID gets no warning; fc00::/8 is explained', () => {
  const u = explainAddress('fd8f:2934:9fe4:1::1').ula;
  assert.equal(u?.globalId, '8f29349fe4');
  assert.equal(u?.subnetId, '0001');
  assert.deepEqual(u?.notes, []);
  const fc = explainAddress('fc12:3456:789a::1').ula;
  assert.equal(fc?.lBit, 0);
  assert.match(fc?.notes.join(' ') ?? '', /L = 0/);
  assert.equal(explainAddress('2001:db8::1').ula, undefined);
});

test('NTP timestamps count from 1900 with a 32-bit fraction', () => {
  assert.equal(ntpTimestamp(new Date(0)).toString('hex'), '83aa7e8000000000');
  assert.equal(ntpTimestamp(new Date(1500)).toString('hex'), '83aa7e8180000000');
});

test('RFC 4193 §3.2.2: SHA-1 of NTP time and EUI-64, low 40 bits, after fd', async (t) => {
  const now = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  const localId = { bytes: Uint8Array.from([0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56]), source: 'test EUI-64' };
  const u = generateUla({ now, localId, subnet: 258 });
  assert.equal(u.method, 'sha1');
  let py;
  try {
    py = await run('python3', ['-c', `
import hashlib, struct
ms = ${now.getTime()}
sec = ms // 1000 + 2208988800
frac = ((ms % 1000) << 32) // 1000
key = struct.pack('>II', sec, frac) + bytes.fromhex('505400fffe123456')
d = hashlib.sha1(key).hexdigest()
print(d, d[-10:])
`]);
  } catch {
    t.skip('python3 is not installed; it checks the SHA-1 steps independently');
    return;
  }
  const [digest, gid] = py.stdout.trim().split(' ');
  assert.equal(u.inputs?.sha1, digest);
  assert.equal(u.globalId, gid);
  const g = gid!;
  const expected = `fd${g.slice(0, 2)}:${g.slice(2, 6)}:${g.slice(6)}`.replace(/:0+(?=[0-9a-f])/g, ':');
  assert.equal(u.prefix, `${expected}::/48`);
  assert.equal(u.subnet, `${expected}:102::/64`, 'subnet 258 is 0x0102');
  assert.equal(explainAddress(u.subnet).type.type, 'ula');
});

test('a random global ID differs each time and is a valid fd00::/8 /48', () => {
  const a = generateUla({ method: 'random' });
  const b = generateUla({ method: 'random' });
  assert.notEqual(a.globalId, b.globalId);
  for (const u of [a, b]) {
    assert.match(u.globalId, /^[0-9a-f]{10}$/);
    const e = explainAddress(u.prefix);
    assert.equal(e.type.type, 'ula');
    assert.equal(e.ula?.lBit, 1);
    assert.equal(e.ula?.globalId, u.globalId);
    assert.equal(e.prefix?.length, 48);
    assert.equal(u.inputs, undefined);
  }
});

test('the default local identifier comes from this machine', () => {
  const u = generateUla();
  assert.ok(u.inputs?.localIdSource);
  assert.match(u.prefix, /^fd[0-9a-f]{2}:/);
});
