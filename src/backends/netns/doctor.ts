/**
 * `dslab doctor`'s checks: kernel IPv6, the tools the lab uses, privileges (root, or user
 * namespaces for rootless, including Ubuntu's AppArmor restriction on them) and mDNS in the
 * host's name-service switch. Each check says how to fix what it found.
 */
import { existsSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { isDslabError } from '../../errors.js';
import { run } from '../../util/run.js';
import { chooseStateRoot, stateRootPresent, type StateRootSource } from '../state-root.js';
import { isRoot } from './access.js';
import { BRIDGE_MAX_PORTS, ENTRIES_PER_NODE, neighbourTable, suggestedMax } from './kernel-limits.js';
import { findProgram } from '../../util/find-program.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  name: string;
  level: CheckLevel;
  detail: string;
  /** What to do about it (warn/fail). */
  fix?: string;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function which(tool: string): string | undefined {
  return findProgram(tool) ?? undefined;
}

const TOOLS: Array<{ tool: string; pkg: string; required: boolean; why: string }> = [
  { tool: 'ip', pkg: 'iproute2', required: true, why: 'creates namespaces, links and addresses' },
  { tool: 'nsenter', pkg: 'util-linux', required: true, why: 'enters namespaces' },
  { tool: 'unshare', pkg: 'util-linux', required: !isRoot(), why: 'rootless mode' },
  { tool: 'sysctl', pkg: 'procps', required: true, why: 'turns off DAD in the lab' },
  { tool: 'ping', pkg: 'iputils-ping', required: true, why: 'the IPv6 check of dslab up' },
  { tool: 'curl', pkg: 'curl', required: false, why: 'the experiments' },
  { tool: 'dig', pkg: 'dnsutils', required: false, why: 'the experiments' },
  { tool: 'nginx', pkg: 'nginx-light', required: false, why: 'labs with "server: nginx"' },
];

export async function doctor(): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const ipv6 = existsSync('/proc/sys/net/ipv6');
  checks.push(
    ipv6
      ? { name: 'kernel IPv6', level: 'ok', detail: 'IPv6 is built in and enabled' }
      : { name: 'kernel IPv6', level: 'fail', detail: 'IPv6 is disabled (no /proc/sys/net/ipv6)', fix: 'Remove "ipv6.disable=1" from the kernel command line and reboot.' },
  );
  const major = Number(process.versions.node.split('.')[0]);
  checks.push(major >= 20 ? { name: 'node', level: 'ok', detail: `Node ${process.versions.node}` } : { name: 'node', level: 'fail', detail: `Node ${process.versions.node}`, fix: 'Install Node 20 or newer.' });
  for (const t of TOOLS) {
    const path = which(t.tool);
    checks.push(
      path
        ? { name: `tool ${t.tool}`, level: 'ok', detail: path }
        : { name: `tool ${t.tool}`, level: t.required ? 'fail' : 'warn', detail: `not found (${t.why})`, fix: `sudo apt-get install ${t.pkg}` },
    );
  }
  checks.push(...(await privilegeChecks()));
  checks.push(stateFolderCheck());
  checks.push(...kernelLimitChecks());
  checks.push(mdnsCheck());
  return checks;
}

/** An unprivileged user, to try rootless mode when doctor itself runs as root. */
const NOBODY = 65534;

/**
 * Tries what rootless `up` does first: a user namespace in which we are root, holding a
 * network and a mount namespace. As root that proves nothing about ordinary users, so it is
 * tried as the user nobody (through setpriv, util-linux).
 */
async function tryRootless(): Promise<{ ok: boolean; as: string; detail: string } | undefined> {
  if (!which('unshare')) return undefined;
  const probe = ['unshare', '--user', '--map-root-user', '--net', '--mount', 'true'];
  let argv = probe;
  let as = 'this user';
  if (isRoot()) {
    if (!which('setpriv')) return undefined;
    argv = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...probe];
    as = 'an ordinary user (tried as nobody)';
  }
  const r = await run(argv[0]!, argv.slice(1), { allowFailure: true, timeoutMs: 5000 }).catch((e: Error) => ({ code: 1, stderr: e.message, stdout: '' }));
  return { ok: r.code === 0, as, detail: r.stderr.trim().split('\n').slice(-1)[0] ?? '' };
}

async function privilegeChecks(): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const root = isRoot();
  const rootless = await tryRootless();
  const userns: DoctorCheck[] = [];
  // each reason rootless may be impossible, with its own fix; a failure only when dslab runs rootless
  const level: CheckLevel = root ? 'warn' : 'fail';
  const max = readProc('/proc/sys/user/max_user_namespaces');
  if (max === '0') userns.push({ name: 'user namespaces', level, detail: 'user.max_user_namespaces is 0', fix: 'sudo sysctl -w user.max_user_namespaces=15000' });
  const debian = readProc('/proc/sys/kernel/unprivileged_userns_clone');
  if (debian === '0') userns.push({ name: 'user namespaces', level, detail: 'kernel.unprivileged_userns_clone is 0', fix: 'sudo sysctl -w kernel.unprivileged_userns_clone=1' });
  const apparmor = readProc('/proc/sys/kernel/apparmor_restrict_unprivileged_userns');
  if (apparmor === '1') {
    userns.push({
      name: 'AppArmor user-namespace restriction',
      level,
      detail: 'kernel.apparmor_restrict_unprivileged_userns is 1 (Ubuntu 23.10+): unprivileged user namespaces get no capabilities',
      fix: 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (or add an AppArmor profile allowing "userns" for node), or run dslab with sudo.',
    });
  }
  if (root) {
    out.push({ name: 'privileges', level: 'ok', detail: 'running as root: labs use named namespaces (/run/netns)' });
  } else if (rootless?.ok) {
    out.push({ name: 'privileges', level: 'ok', detail: 'not root: labs run rootless, inside a user namespace of your own' });
  } else {
    out.push({ name: 'privileges', level: 'fail', detail: 'not root, and this user cannot create user namespaces (see below): "dslab up" cannot build a lab', fix: 'Run dslab with sudo, or enable unprivileged user namespaces as shown below.' });
  }
  out.push(...userns);
  if (rootless) {
    out.push(
      rootless.ok
        ? { name: 'rootless namespaces', level: 'ok', detail: `${rootless.as} can create a user namespace with a network and a mount namespace: rootless labs work` }
        : {
            name: 'rootless namespaces',
            level,
            detail: `${rootless.as} cannot create user, network and mount namespaces (unshare: ${rootless.detail || 'failed'})${root ? '; as root this does not matter' : ''}`,
            fix: userns.length > 0 ? 'Fix the user-namespace settings above, or run dslab with sudo.' : 'Enable unprivileged user namespaces (your distribution\'s kernel settings), or run dslab with sudo.',
          },
    );
  } else {
    out.push({ name: 'rootless namespaces', level: root ? 'warn' : 'fail', detail: 'not checked: unshare (and setpriv as root) from util-linux are needed', fix: 'sudo apt-get install util-linux' });
  }
  return out;
}

const ROOT_SOURCES: Record<StateRootSource, string> = {
  DSLAB_STATE_ROOT: 'from DSLAB_STATE_ROOT',
  root: 'as root',
  XDG_RUNTIME_DIR: 'in $XDG_RUNTIME_DIR',
  cache: 'in your cache folder (no usable $XDG_RUNTIME_DIR)',
  tmp: 'in /tmp (no usable $XDG_RUNTIME_DIR or home folder)',
};

/** Where lab state lives and whether that folder passes the checks `up` makes. */
function stateFolderCheck(): DoctorCheck {
  let choice;
  try {
    choice = chooseStateRoot();
    const exists = stateRootPresent();
    return { name: 'state folder', level: 'ok', detail: `${choice.path} (${ROOT_SOURCES[choice.source]}; ${exists ? 'private to you' : 'created 0700 by the first "dslab up"'})` };
  } catch (err) {
    if (!isDslabError(err)) throw err;
    return { name: 'state folder', level: 'fail', detail: err.message, ...(err.hint ? { fix: err.hint } : {}) };
  }
}

function mdnsCheck(): DoctorCheck {
  const nss = readProc('/etc/nsswitch.conf') ?? '';
  const hosts = nss.split('\n').find((l) => /^\s*hosts\s*:/.test(l)) ?? '';
  if (/mdns/.test(hosts)) {
    return {
      name: 'mDNS in nsswitch.conf',
      level: 'warn',
      detail: `the host resolves .local with mDNS first ("${hosts.trim()}"); dslab gives every node its own "hosts: files dns", so the lab is not affected`,
      fix: 'Nothing to do for the lab; outside it, .local names will not reach a DNS server.',
    };
  }
  return { name: 'mDNS in nsswitch.conf', level: 'ok', detail: hosts ? `"${hosts.trim()}"` : 'no hosts line' };
}

/** The neighbour tables' limits (machine-wide): how many more lab nodes of each family they leave room for. */
function kernelLimitChecks(): DoctorCheck[] {
  return ([6, 4] as const).flatMap((family) => {
    const t = neighbourTable(family);
    if (!t) return [];
    const room = Math.max(0, Math.floor((t.max - t.inUse) / ENTRIES_PER_NODE));
    const to = suggestedMax(t, 2000 * ENTRIES_PER_NODE);
    const detail = `${t.sysctl} = ${t.max}, ${t.inUse} in use: room for about ${room} more IPv${family} lab nodes (each costs ${ENTRIES_PER_NODE} entries; a bridge takes at most ${BRIDGE_MAX_PORTS} nodes per network)`;
    return [room >= 200 ? { name: `IPv${family} neighbour table`, level: 'ok' as const, detail } : { name: `IPv${family} neighbour table`, level: 'warn' as const, detail, fix: `For larger labs: sudo sysctl -w ${t.sysctl}=${to} net.ipv${family}.neigh.default.gc_thresh2=${to / 2} (or "dslab up --tune-kernel")` }];
  });
}
