/**
 * Unique Local Addresses (RFC 4193): the parts of a ULA (prefix fc00::/7, L bit, 40-bit global
 * ID, 16-bit subnet ID, 64-bit interface ID), as the article breaks down fd00:dead:beef::10,
 * and a new ULA prefix made the RFC 4193 §3.2.2 way: SHA-1 of the time (NTP format) and a local
 * identifier (an EUI-64), keeping the low 40 bits; or 40 cryptographically random bits.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { DslabError } from '../errors.js';
import { bitField, groupsOf } from './bits.js';
import { canonicalText } from './canonical.js';
import { modifiedEui64 } from './eui64.js';

/** The parts of a Unique Local Address (RFC 4193): L bit, global ID, subnet ID, interface ID, its /48 and /64 prefixes, and notes. */
export interface UlaBreakdown {
  /** 1 when locally assigned (fd00::/8), 0 for the reserved fc00::/8. */
  lBit: 0 | 1;
  lMeaning: string;
  /** 40-bit global ID, 10 hex digits. */
  globalId: string;
  /** The global ID as it sits in the address groups, e.g. "00:dead:beef". */
  globalIdInAddress: string;
  /** 16-bit subnet ID, 4 hex digits. */
  subnetId: string;
  /** 64-bit interface ID as four groups. */
  interfaceId: string;
  sitePrefix: string;
  subnetPrefix: string;
  notes: string[];
}

const hex = (n: bigint, digits: number) => n.toString(16).padStart(digits, '0');

function groupsFromTop48(top48: bigint, subnet: number): number[] {
  return groupsOf((top48 << 80n) | (BigInt(subnet) << 64n), 'ipv6');
}

/** Looks hand-picked rather than random: words people like, or mostly zero. */
function looksChosen(globalId: string): boolean {
  const zeroBytes = (globalId.match(/../g) ?? []).filter((b) => b === '00').length;
  return /dead|beef|cafe|babe|face|feed|c0de|1234|abcd|0000/.test(globalId) || zeroBytes >= 3 || /^(.)\1+$/.test(globalId);
}

/** Splits an IPv6 address (as a number) into its ULA parts, noting an L bit of 0 and a global ID that looks hand-picked. */
export function ulaBreakdown(value: bigint): UlaBreakdown {
  const lBit = Number(bitField(value, 7, 1)) as 0 | 1;
  const globalId = hex(bitField(value, 8, 40), 10);
  const subnet = Number(bitField(value, 48, 16));
  const interfaceId = [0, 1, 2, 3].map((i) => hex(bitField(value, 64 + 16 * i, 16), 4)).join(':');
  const top48 = value >> 80n;
  const notes: string[] = [];
  if (lBit === 0) {
    notes.push('L = 0: fc00::/8 is set aside for a centrally assigned kind of ULA that was never defined (RFC 4193 §3.2); real ULAs start with fd.');
  }
  if (looksChosen(globalId)) {
    notes.push(
      `The global ID ${globalId} looks chosen by hand, not random. RFC 4193 §3.2 asks for a pseudo-random global ID so that two networks that are later joined (a merger, a VPN) do not collide. The dslab lab keeps the article's fd00:dead:beef::/64 because it is easy to remember on a single machine; for a real network run "dslab addr ula".`,
    );
  }
  return {
    lBit,
    lMeaning: lBit === 1 ? 'locally assigned (fd00::/8)' : 'reserved, not for use (fc00::/8)',
    globalId,
    globalIdInAddress: `${globalId.slice(0, 2)}:${globalId.slice(2, 6)}:${globalId.slice(6)}`,
    subnetId: hex(BigInt(subnet), 4),
    interfaceId,
    sitePrefix: `${canonicalText(groupsFromTop48(top48, 0))}/48`,
    subnetPrefix: `${canonicalText(groupsFromTop48(top48, subnet))}/64`,
    notes,
  };
}

/** Options of `generateUla`: subnet ID, method, and the time and local identifier to hash. */
export interface UlaOptions {
  /** Subnet ID for the /64, decimal 0-65535 (default 0). */
  subnet?: number | string;
  /** `sha1` (RFC 4193 §3.2.2, the default) or `random`. */
  method?: 'sha1' | 'random';
  /** The time to hash (default now). */
  now?: Date;
  /** The local identifier to hash (default: EUI-64 of this machine's first MAC). */
  localId?: { bytes: Uint8Array; source: string };
}

/** A newly generated ULA: its global ID, /48 prefix and /64 subnet, and the steps and inputs that made it. */
export interface GeneratedUla {
  method: 'sha1' | 'random';
  globalId: string;
  prefix: string;
  subnetId: number;
  subnet: string;
  /** The inputs of the §3.2.2 algorithm (sha1 only). */
  inputs?: { ntpTime: string; localIdSource: string; sha1: string };
  steps: string[];
  notes: string[];
}

const NTP_EPOCH_OFFSET = 2208988800n; // seconds from 1900-01-01 to 1970-01-01

/** 64-bit NTP timestamp (RFC 5905): 32 bits of seconds since 1900, 32 bits of fraction. */
export function ntpTimestamp(date: Date): Buffer {
  const ms = BigInt(date.getTime());
  const seconds = ms / 1000n + NTP_EPOCH_OFFSET;
  const fraction = ((ms % 1000n) << 32n) / 1000n;
  const buf = Buffer.alloc(8);
  buf.writeUInt32BE(Number(seconds & 0xffffffffn), 0);
  buf.writeUInt32BE(Number(fraction), 4);
  return buf;
}

function parseSubnetId(raw: number | string | undefined): number {
  if (raw === undefined) return 0;
  const text = String(raw).trim();
  if (!/^[0-9]+$/.test(text) || Number(text) > 0xffff) {
    throw new DslabError('DSLAB_E_ADDR_SUBNET', `The subnet ID "${text}" is not a decimal number from 0 to 65535; a ULA /48 has 16 bits of subnet ID.`, {
      field: 'subnet',
      value: raw,
      hint: 'Give a decimal number, e.g. --subnet 1 (hex 0x10 is written --subnet 16).',
    });
  }
  return Number(text);
}

/** This machine's local identifier: the EUI-64 of its first MAC, else its machine-id, else random bytes. */
function localIdentifier(): { bytes: Uint8Array; source: string } {
  const ifaces = networkInterfaces();
  for (const name of Object.keys(ifaces).sort()) {
    for (const info of ifaces[name] ?? []) {
      if (info.internal || !info.mac || info.mac === '00:00:00:00:00:00') continue;
      const mac = info.mac.split(':').map((b) => parseInt(b, 16));
      return { bytes: Uint8Array.from(modifiedEui64(mac)), source: `EUI-64 of ${name}'s MAC address` };
    }
  }
  try {
    const id = readFileSync('/etc/machine-id', 'utf8').trim();
    if (/^[0-9a-f]{32}$/.test(id)) return { bytes: Buffer.from(id, 'hex'), source: '/etc/machine-id' };
  } catch {
    // no machine-id: fall through to random bytes, which RFC 4193 allows as well
  }
  return { bytes: randomBytes(8), source: 'random bytes (no MAC address or machine-id found)' };
}

/**
 * Generates a ULA /48 prefix and one /64 subnet of it: by default with RFC 4193 §3.2.2's
 * algorithm (SHA-1 of the NTP time and a local identifier), or from 40 random bits.
 */
export function generateUla(options: UlaOptions = {}): GeneratedUla {
  const subnetId = parseSubnetId(options.subnet);
  const method = options.method ?? 'sha1';
  let globalId: bigint;
  let inputs: GeneratedUla['inputs'];
  const steps: string[] = [];
  if (method === 'random') {
    globalId = BigInt('0x' + randomBytes(5).toString('hex'));
    steps.push('40 bits from a cryptographically secure random generator (crypto.randomBytes)');
  } else {
    const time = ntpTimestamp(options.now ?? new Date());
    const local = options.localId ?? localIdentifier();
    const digest = createHash('sha1').update(Buffer.concat([time, Buffer.from(local.bytes)])).digest();
    globalId = BigInt('0x' + digest.subarray(15).toString('hex'));
    inputs = { ntpTime: time.toString('hex'), localIdSource: local.source, sha1: digest.toString('hex') };
    steps.push(
      `1. time of day in 64-bit NTP format: ${inputs.ntpTime}`,
      `2. local identifier: ${local.source}`,
      '3. key = time followed by the local identifier',
      `4. SHA-1(key) = ${inputs.sha1}`,
      `5. global ID = its least significant 40 bits: ${hex(globalId, 10)}`,
      '6. prefix = fd (fc00::/7 with L = 1) followed by the global ID: a /48',
    );
  }
  const top48 = (0xfdn << 40n) | globalId;
  const prefix = `${canonicalText(groupsFromTop48(top48, 0))}/48`;
  const subnet = `${canonicalText(groupsFromTop48(top48, subnetId))}/64`;
  return {
    method,
    globalId: hex(globalId, 10),
    prefix,
    subnetId,
    subnet,
    ...(inputs ? { inputs } : {}),
    steps,
    notes: [
      `${prefix} is yours: 65,536 /64 subnets (subnet IDs 0-65535, --subnet picks one); ${subnet} is subnet ${subnetId}.`,
      'Unlike the article\'s fd00:dead:beef (memorable, but anyone may pick it), a random global ID makes a clash unlikely when networks are joined (RFC 4193 §3.2.3).',
    ],
  };
}
