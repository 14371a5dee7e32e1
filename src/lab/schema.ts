/**
 * The shape of a lab file, as a zod schema: types and allowed keys only. What the values
 * mean (names, addresses, subnets, references) is checked afterwards by validate.ts, which
 * can give each rejection its own stable code.
 */
import * as z from 'zod';

export const ROLES = ['web', 'dns', 'client', 'host', 'router', 'nat64'] as const;
export const WEB_SERVERS = ['builtin', 'nginx'] as const;
export const RECORD_TYPES_LOWER = ['a', 'aaaa'] as const;

/** Marks the message of an unknown-key issue so that issues.ts can list the allowed keys. */
export const ALLOWED_KEYS_MARK = 'dslab-allowed-keys:';

/** A strict object whose unknown-key issue carries the keys that are allowed there. */
function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? ALLOWED_KEYS_MARK + allowed.join(',') : undefined),
  });
}

const addressList = z.union([z.string(), z.array(z.string())]);
const delayMs = z.number().int().min(0).max(60_000);

/** How a network's nodes get their IPv6 addresses (only slaac is built; the others are refused by name). */
export const AUTOCONF = ['slaac', 'dhcpv6', 'slaac+dhcpv6'] as const;
export const ADDR_GEN_MODES = ['eui64', 'stable-privacy'] as const;

export const rawNetwork = strict({
  name: z.string(),
  ipv4: z.string().optional(),
  ipv6: z.union([z.string(), strict({ prefix: z.string(), autoconf: z.enum(AUTOCONF).optional() })]).optional(),
  mtu: z.number().int().optional(),
  /** DNS64 (RFC 6147) for this network's clients: AAAA records synthesised from the NAT64 prefix of the network's translator. */
  dns64: z.boolean().optional(),
});

export const rawAttachment = strict({
  ipv4: z.string().optional(),
  ipv6: z.string().optional(),
});

export const rawNode = strict({
  name: z.string(),
  role: z.enum(ROLES),
  web: strict({
    server: z.enum(WEB_SERVERS).optional(),
    port: z.number().int().min(1).max(65_535).optional(),
  }).optional(),
  dns: addressList.optional(),
  /** How the node forms SLAAC addresses (on a network with autoconf: slaac). */
  slaac: strict({ addr_gen_mode: z.enum(ADDR_GEN_MODES).optional(), temporary: z.boolean().optional() }).optional(),
  /** The translator's settings (role nat64): its NAT64 prefix and the IPv4 pool Tayga maps IPv6 clients into. */
  nat64: strict({ prefix: z.string().optional(), pool: z.string().optional() }).optional(),
  addresses: z.record(z.string(), rawAttachment),
});

export const rawRecord = strict({
  name: z.string(),
  a: addressList.optional(),
  aaaa: addressList.optional(),
  ttl: z.number().int().min(0).max(2_147_483_647).optional(),
  delay_ms: z.union([delayMs, strict({ a: delayMs.optional(), aaaa: delayMs.optional() })]).optional(),
  drop: z.union([z.boolean(), z.array(z.enum(RECORD_TYPES_LOWER))]).optional(),
});

/** A fault entry: its keys are checked by faults/validate.ts, which gives fault codes. */
export const rawFaultEntry = z.record(z.string(), z.unknown());

export const rawScenario = strict({
  description: z.string().optional(),
  target: z.string().optional(),
  faults: z.array(rawFaultEntry),
});

export const rawLab = strict({
  name: z.string().optional(),
  networks: z.array(rawNetwork).min(1),
  nodes: z.array(rawNode).min(1),
  /** Each entry is an object, or the hosts-file form `ADDRESS NAME [NAME...]`. */
  records: z.array(z.union([z.string(), rawRecord])).optional(),
  zones: z.array(z.string()).optional(),
  faults: z.array(rawFaultEntry).optional(),
  scenarios: z.record(z.string(), rawScenario).optional(),
});

export type RawLab = z.infer<typeof rawLab>;
export type RawNetwork = z.infer<typeof rawNetwork>;
export type RawNode = z.infer<typeof rawNode>;
export type RawRecord = z.infer<typeof rawRecord>;
export type RawAttachment = z.infer<typeof rawAttachment>;
