/**
 * The NAT64 checks of `dslab run`, for labs whose client is on a network with DNS64 (made from
 * the host through LabAccess, after the client's own experiments):
 * - the client is IPv6-only: no IPv4 address beyond loopback, no IPv4 route;
 * - DNS64: `dig AAAA` of a name with only an A record gives an address in the translator's
 *   prefix whose embedded IPv4 address (RFC 6052) is that A record, logged by the DNS server as
 *   synthesised;
 * - NAT64: curl by that name gets HTTP 200, and the web server's /whoami saw the visit come over
 *   IPv4 from the translator's IPv4 address;
 * - prefix discovery (RFC 7050): the AAAA answers for ipv4only.arpa embed 192.0.0.170/171 and
 *   give back the configured prefix;
 * - a dual-stack name keeps its real AAAA and is reached natively over IPv6 (the server sees the
 *   client's own address);
 * - an IPv4 literal fails: an IPv6-only host has no way to IPv4 without a CLAT (464XLAT).
 * The connect times of the translated and the native fetch are measured side by side.
 */
import ipaddr from 'ipaddr.js';
import { extractIpv4, IPV4ONLY_ADDRESSES, IPV4ONLY_ARPA } from '../addr/nat64.js';
import type { Node, Topology } from '../lab/topology.js';
import { runPlannedChecks, skippedCheck, type CheckBody, type HostCheckContext, type PlannedCheck } from './host-check-runner.js';
import type { LabAccess } from './lab-access.js';
import { inNodeCommand } from './node/check.js';
import { parseWhoami, type WhoamiView } from './node/http-get.js';
import { findTool } from './node/tools.js';
import type { CheckResult, NodeEvent, RunPlan } from './types.js';

type Context = HostCheckContext & { net: { name: string; prefix: string; translator: Node } };

/** What curl -w prints for the NAT64 fetches: status, remote address, connect time. */
const CURL_FORMAT = '\\n%{http_code} %{remote_ip} %{time_connect}';

function context(topology: Topology, plan: RunPlan, access: LabAccess, signal?: AbortSignal): Context | undefined {
  const client = topology.nodes.find((n) => n.name === plan.client.name);
  const net = client && topology.networks.find((n) => n.dns64 && client.attachments.some((a) => a.network === n.name));
  if (!net) return undefined;
  const translator = topology.nodes.find((n) => n.name === net.dns64!.translator)!;
  return { topology, plan, access, ...(signal ? { signal } : {}), net: { name: net.name, prefix: net.dns64!.prefix, translator } };
}

/** A name with A records and no AAAA (what DNS64 synthesises for), and a dual-stack name. */
function names(topology: Topology): { v4only?: { name: string; a: string }; dual?: { name: string; aaaa: string } } {
  const byName = new Map<string, { a: string[]; aaaa: string[] }>();
  for (const r of topology.records) {
    const e = byName.get(r.name) ?? { a: [], aaaa: [] };
    (r.type === 'A' ? e.a : e.aaaa).push(r.address);
    byName.set(r.name, e);
  }
  const owned = new Set(topology.nodes.flatMap((n) => n.attachments.flatMap((a) => [a.ipv4, a.ipv6].filter(Boolean))));
  const v4 = [...byName].find(([, e]) => e.a.length > 0 && e.aaaa.length === 0 && e.a.some((a) => owned.has(a)));
  const dual = [...byName].find(([, e]) => e.a.length > 0 && e.aaaa.some((x) => owned.has(x)));
  return {
    ...(v4 ? { v4only: { name: v4[0], a: v4[1].a.find((a) => owned.has(a))! } } : {}),
    ...(dual ? { dual: { name: dual[0], aaaa: dual[1].aaaa.find((x) => owned.has(x))! } } : {}),
  };
}

function planned(ctx: Context): PlannedCheck[] {
  const { v4only, dual } = names(ctx.topology);
  const out: PlannedCheck[] = [{ id: 'nat64.client.ipv6only', run: () => ipv6Only(ctx) }];
  if (v4only) {
    out.push({ id: 'nat64.dns64.synthesis', run: () => synthesis(ctx, v4only) });
    out.push({ id: 'nat64.http.translated', run: () => translated(ctx, v4only) });
  }
  out.push({ id: 'nat64.prefix.discovery', run: () => discovery(ctx) });
  if (dual) out.push({ id: 'nat64.http.native', run: () => native(ctx, dual) });
  if (v4only) out.push({ id: 'nat64.literal.ipv4', run: () => literal(ctx, v4only) });
  return out;
}

/** How many NAT64 checks this lab gets (none when the client is on no DNS64 network). */
export function nat64CheckCount(topology: Topology, plan: RunPlan, access: LabAccess): number {
  const ctx = context(topology, plan, access);
  return ctx ? planned(ctx).length : 0;
}

/** Runs the NAT64 checks one after another (startMs relative to `t0`, the experiments' start). */
export function runNat64Checks(topology: Topology, plan: RunPlan, access: LabAccess, emit: (e: NodeEvent) => void, t0: number, signal?: AbortSignal): Promise<CheckResult[]> {
  const ctx = context(topology, plan, access, signal);
  return ctx ? runPlannedChecks('nat64', planned(ctx), emit, t0) : Promise.resolve([]);
}

const opts = (ctx: Context) => ({ allowFailure: true, timeoutMs: 8000, ...(ctx.signal ? { signal: ctx.signal } : {}) });
const inClient = (ctx: Context, argv: string[]) => ctx.access.runInNode(ctx.plan.client.name, argv, opts(ctx));
const shown = (ctx: Context, command: string) => inNodeCommand(ctx.topology.name, ctx.plan.client.name, command);

/** `dig +short NAME AAAA` in the client: its exit code, output and the addresses it printed. */
async function digAaaa(ctx: Context, name: string): Promise<{ code: number; stdout: string; answers: string[]; command: string }> {
  const argv = ['dig', '+short', '+time=2', '+tries=1', name, 'AAAA'];
  const r = await inClient(ctx, argv);
  return { code: r.code, stdout: r.stdout, answers: r.stdout.split('\n').map((l) => l.trim()).filter((l) => ipaddr.isValid(l)), command: argv.join(' ') };
}

async function ipv6Only(ctx: Context): Promise<CheckBody> {
  const [addr, route] = await Promise.all([inClient(ctx, ['ip', '-4', '-o', 'addr', 'show']), inClient(ctx, ['ip', '-4', 'route', 'show'])]);
  const v4 = addr.stdout.split('\n').filter((l) => l.trim() && !/ lo /.test(l)).map((l) => /inet (\S+)/.exec(l)?.[1] ?? l.trim());
  const routes = route.stdout.split('\n').filter((l) => l.trim());
  const ok = addr.code === 0 && v4.length === 0 && routes.length === 0;
  return {
    title: `${ctx.plan.client.name} is IPv6-only: no IPv4 address, no IPv4 route`,
    tool: 'ip',
    expectation: 'ip -4 addr shows only loopback (127.0.0.1) and ip -4 route shows nothing',
    observed: `IPv4 addresses: ${v4.join(', ') || 'none besides loopback'}; IPv4 routes: ${routes.length || 'none'}`,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason: v4.length ? `the client has IPv4 address ${v4.join(', ')}` : routes.length ? `the client has IPv4 routes: ${routes.join('; ')}` : `ip exit ${addr.code}` }),
    commands: [shown(ctx, 'ip -4 addr show'), shown(ctx, 'ip -4 route show')],
    output: (addr.stdout.trimEnd() + (routes.length ? `\n${routes.join('\n')}` : '')).trim(),
    outputSource: { kind: 'command', command: 'ip -4 -o addr show', excerpt: 'followed by ip -4 route show (empty when nothing is printed after it)' },
    data: { ipv4: v4, routes },
  };
}

async function synthesis(ctx: Context, v4only: { name: string; a: string }): Promise<CheckBody> {
  const title = `DNS64 synthesises AAAA for ${v4only.name} (A only) from ${ctx.net.prefix}`;
  const expectation = `dig AAAA ${v4only.name} answers an address in ${ctx.net.prefix} whose embedded IPv4 address (RFC 6052) is ${v4only.a}, and the DNS server logs it as synthesised`;
  const commands = [shown(ctx, `dig +short ${v4only.name} AAAA`), `dslab logs --lab ${ctx.topology.name} dns`];
  if (!findTool('dig')) return skippedCheck(title, 'dig', expectation, commands, 'dnsutils');
  const r = await digAaaa(ctx, v4only.name);
  const { answers } = r;
  const embedded = answers.map((a) => extractIpv4(ctx.net.prefix, a));
  const logs = ctx.access.serviceLogs ? await ctx.access.serviceLogs('dns') : [];
  const logged = logs.flatMap((l) => l.text.split('\n')).filter((l) => l.includes(`DNS64 synthesised AAAA ${v4only.name}.`));
  const ok = answers.length > 0 && embedded.every((e) => e === v4only.a) && (!ctx.access.serviceLogs || logged.length > 0);
  return {
    title,
    tool: 'dig',
    expectation,
    observed: `${answers.join(', ') || 'no AAAA'}${embedded[0] ? ` (embeds ${embedded.join(', ')})` : ''}; ${logged.length} synthesised-answer line(s) in the DNS log`,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason: answers.length === 0 ? `no AAAA answer (dig exit ${r.code})` : embedded.some((e) => e !== v4only.a) ? `the answer is not ${v4only.a} in ${ctx.net.prefix}` : 'the DNS server did not log the answer as synthesised' }),
    commands,
    output: [r.stdout.trim(), ...logged.slice(-1)].filter(Boolean).join('\n'),
    outputSource: { kind: 'command', command: r.command, excerpt: "followed by the DNS server's log line for it" },
    data: { answers, embedded, prefix: ctx.net.prefix, logged },
  };
}

/** curl in the client, -w's last line parsed: status, remote address, connect time; the body before it. */
async function curlWhoami(ctx: Context, url: string, family?: 4 | 6): Promise<{ code: number; status: number; remote: string; connectMs: number; body: string; stderr: string; command: string }> {
  const argv = ['curl', '-sS', ...(family ? [`-${family}`] : []), '--max-time', '4', '-w', CURL_FORMAT, url];
  const r = await inClient(ctx, argv);
  const lines = r.stdout.split('\n');
  const [status, remote, connect] = (lines.pop() ?? '').split(' ');
  return { code: r.code, status: Number(status), remote: remote ?? '', connectMs: Number(connect) * 1000, body: lines.join('\n'), stderr: r.stderr.trim(), command: argv.map((a) => (a.includes(' ') || a.includes('%') ? `'${a}'` : a)).join(' ') };
}

/** The result of one curl fetch of /whoami: what curl connected to, in how long, and what the server saw. */
function fetchBody(title: string, expectation: string, f: Awaited<ReturnType<typeof curlWhoami>>, who: WhoamiView | undefined, ok: boolean, reason: string, commands: string[]): CheckBody {
  return {
    title,
    tool: 'curl',
    expectation,
    observed: `HTTP ${f.status || '-'} from ${f.remote || 'nowhere'} (connect ${f.connectMs.toFixed(2)} ms); server saw ${who?.family ?? '?'} from ${who?.client?.address ?? '?'}`,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason }),
    commands,
    output: `${f.body.trim()}\n${f.status} ${f.remote} ${(f.connectMs / 1000).toFixed(6)}`,
    outputSource: { kind: 'command', command: f.command },
    data: { status: f.status, remote: f.remote, connectMs: f.connectMs, whoami: who },
  };
}

async function translated(ctx: Context, v4only: { name: string; a: string }): Promise<CheckBody> {
  const title = `curl http://${v4only.name}/ goes through the translator ${ctx.net.translator.name}`;
  const xlat4 = ctx.net.translator.nat64!.ipv4;
  const expectation = `HTTP 200 from an address in ${ctx.net.prefix}; the web server's /whoami saw IPv4 from ${xlat4} (${ctx.net.translator.name}'s address: NAT64 with masquerade, RFC 6146)`;
  const url = `http://${v4only.name}/whoami`;
  const f = await curlWhoami(ctx, url);
  const who = parseWhoami(f.body);
  const inPrefix = f.remote !== '' && extractIpv4(ctx.net.prefix, f.remote) === v4only.a;
  const ok = f.code === 0 && f.status === 200 && inPrefix && who?.family === 'IPv4' && who.client?.address === xlat4;
  const reason = f.code !== 0 ? `curl exit ${f.code}: ${f.stderr}` : !inPrefix ? `curl did not connect to ${v4only.a} in ${ctx.net.prefix}` : `the server saw ${who?.family ?? '?'} from ${who?.client?.address ?? '?'}, not IPv4 from ${xlat4}`;
  return fetchBody(title, expectation, f, who, ok, reason, [shown(ctx, `curl -s ${url}`), `dslab logs --lab ${ctx.topology.name} nat64`]);
}

async function discovery(ctx: Context): Promise<CheckBody> {
  const title = `prefix discovery: ${IPV4ONLY_ARPA} gives back ${ctx.net.prefix} (RFC 7050)`;
  const expectation = `dig AAAA ${IPV4ONLY_ARPA} answers ${IPV4ONLY_ADDRESSES.join(' and ')} embedded in the translator's prefix ${ctx.net.prefix}, so a client can learn the prefix from DNS`;
  const commands = [shown(ctx, `dig +short ${IPV4ONLY_ARPA} AAAA`)];
  if (!findTool('dig')) return skippedCheck(title, 'dig', expectation, commands, 'dnsutils');
  const r = await digAaaa(ctx, IPV4ONLY_ARPA);
  const { answers } = r;
  const length = Number(ctx.net.prefix.split('/')[1]);
  // RFC 7050 §3: the prefix is what precedes the well-known IPv4 address in the answer
  const found = answers.map((a) => (IPV4ONLY_ADDRESSES.includes(extractIpv4(ctx.net.prefix, a) as (typeof IPV4ONLY_ADDRESSES)[number]) ? `${ipaddr.IPv6.networkAddressFromCIDR(`${a}/${length}`).toString()}/${length}` : undefined));
  const ok = answers.length === IPV4ONLY_ADDRESSES.length && found.every((p) => p === ctx.net.prefix);
  return {
    title,
    tool: 'dig',
    expectation,
    observed: `${answers.join(', ') || 'no AAAA'} -> prefix ${[...new Set(found.map((p) => p ?? '?'))].join(', ') || '-'}`,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason: answers.length === 0 ? `no AAAA answer for ${IPV4ONLY_ARPA} (dig exit ${r.code})` : `the answers do not embed ${IPV4ONLY_ADDRESSES.join('/')} in ${ctx.net.prefix}` }),
    commands,
    output: r.stdout.trim(),
    outputSource: { kind: 'command', command: r.command },
    data: { answers, prefixes: found },
  };
}

async function native(ctx: Context, dual: { name: string; aaaa: string }): Promise<CheckBody> {
  const title = `${dual.name} (real AAAA) is reached natively over IPv6, not translated`;
  const own = ctx.plan.client.ipv6;
  const expectation = `DNS64 keeps the real AAAA ${dual.aaaa} (RFC 6147 §5.1.1); curl connects to it and the server sees ${own ?? 'the client'} itself over IPv6`;
  const url = `http://${dual.name}/whoami`;
  const f = await curlWhoami(ctx, url);
  const who = parseWhoami(f.body);
  const ok = f.code === 0 && f.status === 200 && f.remote === dual.aaaa && who?.family === 'IPv6' && who.client?.address === own;
  const reason = f.code !== 0 ? `curl exit ${f.code}: ${f.stderr}` : f.remote !== dual.aaaa ? `curl connected to ${f.remote}, not the real AAAA ${dual.aaaa}` : `the server saw ${who?.family ?? '?'} from ${who?.client?.address ?? '?'}`;
  return fetchBody(title, expectation, f, who, ok, reason, [shown(ctx, `curl -s ${url}`)]);
}

async function literal(ctx: Context, v4only: { name: string; a: string }): Promise<CheckBody> {
  const url = `http://${v4only.a}/`;
  const title = `an IPv4 literal (${url}) fails on the IPv6-only client`;
  const expectation = 'curl fails at once (no IPv4 route: "Couldn\'t connect"): DNS64 only helps names; an IPv4 literal needs a CLAT on the client (464XLAT, RFC 6877)';
  const f = await curlWhoami(ctx, url);
  const ok = f.code !== 0 && f.status !== 200;
  return {
    title,
    tool: 'curl',
    expectation,
    observed: f.code !== 0 ? `curl exit ${f.code}: ${f.stderr.split('\n').pop()}` : `HTTP ${f.status} from ${f.remote}`,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason: `the IPv6-only client reached ${v4only.a} over IPv4: it has an IPv4 path` }),
    commands: [shown(ctx, `curl -s ${url}`)],
    output: f.stderr || f.body.trim(),
    outputSource: { kind: 'command', command: f.command },
    data: { code: f.code },
  };
}
