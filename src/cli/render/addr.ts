/**
 * Turns the results of `dslab addr` into text: one labelled section per topic (forms, type,
 * prefix, ULA, reverse DNS), in the order the article explains them.
 */
import type { AddressExplanation, Eui64Result, GeneratedUla, SubnetSplit } from '../../addr/index.js';

const label = (name: string, value: string) => `  ${(name + ':').padEnd(18)}${value}`;

export function renderExplanation(e: AddressExplanation): string[] {
  const lines: string[] = [];
  const fam = e.family === 'ipv6' ? 'IPv6' : 'IPv4';
  lines.push(`${e.input}  (${fam}${e.prefix ? ' prefix' : ' address'})`, '');
  lines.push('Forms');
  if (e.family === 'ipv6') {
    lines.push(label('full', e.forms.full), label('canonical', `${e.forms.canonical}${e.forms.wasCanonical ? '  (as written)' : ''}`));
    lines.push('  RFC 5952 rules:');
    for (const r of e.forms.rules) lines.push(`    ${r.changed ? '*' : '-'} ${r.detail} (§${r.section})`);
  } else {
    lines.push(label('address', e.forms.canonical));
    if (e.forms.ipv4Mapped) lines.push(label('IPv4-mapped', `${e.forms.ipv4Mapped}  (as an IPv6 socket sees it)`));
    if (e.forms.nat64) lines.push(label('via NAT64', `${e.forms.nat64}  (64:ff9b::/96, RFC 6052)`));
  }
  if (e.zone !== undefined) lines.push(label('zone', `%${e.zone}`));
  lines.push('', 'Type');
  const t = e.type;
  lines.push(label('type', `${t.name} (${t.type})`), label('range', `${t.range}, ${t.rfc}`), label('use', t.use));
  lines.push(label(e.family === 'ipv6' ? 'IPv4 counterpart' : 'IPv6 counterpart', t.counterpart));
  if (t.multicast) {
    const m = t.multicast;
    lines.push(label('scope', `${m.scopeName} (${m.scope.toString(16)})`));
    const flags = [
      m.flags.rendezvous && 'R (rendezvous point address embedded, RFC 3956)',
      m.flags.prefixBased && 'P (based on a unicast prefix, RFC 3306)',
      m.flags.transient && 'T (transient, not assigned by IANA)',
    ].filter(Boolean);
    lines.push(label('flags', flags.length ? flags.join('; ') : 'none (a permanent group assigned by IANA)'));
    if (m.group) lines.push(label('group', m.group));
    lines.push(label('IPv4 scope', m.ipv4Counterpart));
  }
  for (const x of t.embeddedIpv4 ?? []) lines.push(label('embedded IPv4', `${x.address}: ${x.role}`));
  if (t.eui64Mac) lines.push(label('EUI-64 MAC', `${t.eui64Mac} (the interface ID is a modified EUI-64: ff:fe in the middle)`));
  if (e.prefix) {
    const p = e.prefix;
    lines.push('', 'Prefix');
    lines.push(label('prefix', p.prefix), label('network', p.network), label('first', p.first), label('last', p.last));
    if (p.netmask) lines.push(label('netmask', p.netmask));
    if (p.broadcast) lines.push(label('broadcast', p.broadcast));
    if (p.usableHosts) lines.push(label('usable hosts', `${p.usableHosts.first} - ${p.usableHosts.last} (${p.usableHosts.count})`));
    lines.push(label('size', `${p.size.power} = ${p.size.words}`));
    for (const n of p.notes) lines.push(`  ${n}`);
  }
  if (e.ula) {
    const u = e.ula;
    lines.push('', 'ULA structure (RFC 4193 §3.1)');
    lines.push(label('prefix', 'fc00::/7 (7 bits)'), label('L bit', `${u.lBit}: ${u.lMeaning}`));
    lines.push(label('global ID', `${u.globalId} (40 bits; in the address: ${u.globalIdInAddress})`));
    lines.push(label('subnet ID', `${u.subnetId} (16 bits)`), label('interface ID', `${u.interfaceId} (64 bits)`));
    lines.push(label('site prefix', u.sitePrefix), label('subnet prefix', u.subnetPrefix));
    for (const n of u.notes) lines.push(`  ${n}`);
  }
  lines.push('', 'Reverse DNS');
  lines.push(label('PTR name', e.reverse.name));
  const z = e.reverse.zones;
  if (z) {
    if (z.aligned) lines.push(label('zone', z.zones[0] ?? ''));
    else {
      lines.push(`  The prefix does not end on a ${e.family === 'ipv6' ? 'nibble (4-bit)' : 'octet'} boundary, so it takes ${z.count} reverse zones${e.family === 'ipv4' ? ' (or RFC 2317 classless delegation)' : ''}:`);
      for (const name of z.zones) lines.push(`    ${name}`);
      if (z.count > z.zones.length) lines.push(`    ... (${z.count - z.zones.length} more)`);
    }
  }
  if (e.notes.length) {
    lines.push('', 'Notes');
    for (const n of e.notes) lines.push(`  ${n}`);
  }
  return lines;
}

export function renderUla(u: GeneratedUla): string[] {
  const lines = [
    `New ULA prefix (RFC 4193, ${u.method === 'sha1' ? '§3.2.2 algorithm' : 'random global ID'})`,
    '',
    label('prefix', u.prefix),
    label('global ID', u.globalId),
    label(`subnet ${u.subnetId}`, u.subnet),
    '',
    'How it was made',
    ...u.steps.map((s) => `  ${s}`),
    '',
    ...u.notes.map((n) => `  ${n}`),
  ];
  return lines;
}

export function renderEui64(r: Eui64Result): string[] {
  const lines = [`Modified EUI-64 interface ID of ${r.mac}`, ''];
  for (const s of r.steps) lines.push(`  ${s.step}`, `      ${s.result}`);
  lines.push('', label('interface ID', r.interfaceId), label('link-local', r.linkLocal));
  if (r.slaac) lines.push(label('SLAAC address', `${r.slaac.address}  (in ${r.slaac.prefix})`));
  lines.push('', ...r.notes.map((n) => `  ${n}`));
  return lines;
}

export function renderSubnets(s: SubnetSplit): string[] {
  const lines = [
    `${s.prefix} split into /${s.newLength} subnets`,
    '',
    label('subnets', `${s.countPower} = ${s.countWords}`),
    label('each holds', `${s.subnetSize.power} = ${s.subnetSize.words} addresses`),
    '',
    ...s.first.map((p, i) => `  ${String(i).padStart(6)}  ${p}`),
  ];
  if (BigInt(s.count) > BigInt(s.first.length)) {
    if (BigInt(s.count) > BigInt(s.first.length) + 1n) lines.push('     ...');
    lines.push(`  ${(BigInt(s.count) - 1n).toString().padStart(6)}  ${s.last}`);
  }
  if (s.notes.length) lines.push('', ...s.notes.map((n) => `  ${n}`));
  return lines;
}
