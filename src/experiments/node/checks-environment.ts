/**
 * Environment checks seen from the client node: IPv6 is enabled on its interface, and the
 * interface holds both of its addresses (the article's `ip addr show eth0`).
 */
import { readFile } from 'node:fs/promises';
import type { CheckResult, RunPlan } from '../types.js';
import { runCheck, verdict, type Emit, type RunClock, commandOutput, dslabOutput } from './check.js';
import { runIp } from './tool-runs.js';
import { addressesOf } from '../../util/ip-json.js';


export function checkIpv6Enabled(plan: RunPlan, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const ifname = plan.client.ifname;
  return runCheck(
    {
      id: 'env.ipv6-enabled',
      section: 'environment',
      title: `IPv6 enabled on ${plan.client.name}'s ${ifname}`,
      tool: 'dslab',
      expectation: `net.ipv6.conf.${ifname}.disable_ipv6 = 0`,
      commands: [`sysctl net.ipv6.conf.${ifname}.disable_ipv6`],
    },
    clock,
    emit,
    async () => {
      const value = (await readFile(`/proc/sys/net/ipv6/conf/${ifname}/disable_ipv6`, 'utf8')).trim();
      return verdict(value === '0', `disable_ipv6 = ${value}`, `IPv6 is disabled on ${ifname}; the lab cannot be dual-stack.`, {
        ...dslabOutput(`net.ipv6.conf.${ifname}.disable_ipv6 = ${value}`, `dslab read /proc/sys/net/ipv6/conf/${ifname}/disable_ipv6; shown the way sysctl prints it`),
      });
    },
  );
}

export function checkClientAddresses(plan: RunPlan, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const { ifname, ipv4, ipv6 } = plan.client;
  const want = [ipv4, ipv6].filter((a): a is string => Boolean(a));
  return runCheck(
    {
      id: 'env.client-addresses',
      section: 'environment',
      title: `${plan.client.name} has both addresses on ${ifname}`,
      tool: 'ip',
      expectation: `${ifname} holds ${want.join(' and ')} (scope global, not tentative)`,
      commands: [`ip addr show ${ifname}`],
    },
    clock,
    emit,
    async () => {
      const [text, json] = await Promise.all([runIp(['addr', 'show', ifname]), runIp(['-j', 'addr', 'show', 'dev', ifname])]);
      const addrs = addressesOf(json.stdout);
      const usable = addrs.filter((a) => a.scope === 'global' && !a.tentative && !a.dadfailed).map((a) => a.local);
      const missing = want.filter((a) => !usable.includes(a));
      const shown = addrs.map((a) => `${a.local}/${a.prefixlen} (${a.scope}${a.tentative ? ', tentative' : ''})`).join(', ');
      return verdict(missing.length === 0, shown || 'no addresses', `missing or not usable yet: ${missing.join(', ')}`, {
        ...commandOutput(text.stdout.trim(), text.command),
        data: { addresses: addrs },
      });
    },
  );
}
