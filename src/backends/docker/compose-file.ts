/**
 * Renders a lab as the article's compose.yaml: one service per node with its container name,
 * fixed addresses on each network, the client's `dns:` setting, and networks with IPv6
 * enabled. Improvements over the seed: `init: true` (so `down` does not wait 10 s for
 * `sleep infinity` to ignore SIGTERM), images overridable through environment variables,
 * and no top-level `name:` (Debian's docker-compose 1.29 rejects it).
 */
import { DslabError } from '../../errors.js';
import { forwards, type Node, type Topology } from '../../lab/topology.js';
import { LAB_FILE_VARIABLE, LAB_NAME_VARIABLE } from '../../experiments/run-here.js';
import { containerName, ROLE_IMAGES } from './names.js';

export interface ComposeRenderOptions {
  /** Build context of the client image relative to the compose file (default `.`). */
  buildContext?: string;
  /** Where the Corefile sits relative to the compose file (default `./Corefile`). */
  corefile?: string;
  /**
   * A copy of the lab file beside the compose file (e.g. `./lab.yaml`), mounted into the
   * client so that `docker exec <client> dslab run` there runs this lab, not the default one.
   */
  labFile?: string;
}

/** Where the client container sees the lab file. */
export const CONTAINER_LAB_FILE = '/etc/dslab/lab.yaml';

export const CLIENT_DOCKERFILE = 'docker/client/Dockerfile';

function nodeNetworks(node: Node): string[] {
  const out = ['    networks:'];
  for (const a of node.attachments) {
    out.push(`      ${a.network}:`);
    if (a.ipv4) out.push(`        ipv4_address: ${a.ipv4}`);
    if (a.ipv6) out.push(`        ipv6_address: ${a.ipv6}`);
  }
  return out;
}

function service(topology: Topology, node: Node, options: Required<Omit<ComposeRenderOptions, 'labFile'>> & Pick<ComposeRenderOptions, 'labFile'>): string[] {
  const image = ROLE_IMAGES[node.role];
  const out = [
    `  ${node.name}:`,
    `    image: \${${image.variable}:-${image.image}}`,
    `    container_name: ${containerName(topology.name, node.name)}`,
    '    init: true',
  ];
  if (node.role === 'dns') {
    out.push('    command: ["-conf", "/Corefile"]', '    volumes:', `      - ${options.corefile}:/Corefile:ro`);
  }
  if (node.role === 'client' || node.role === 'host') {
    out.push(
      '    build:',
      `      context: ${options.buildContext}`,
      `      dockerfile: ${CLIENT_DOCKERFILE}`,
      '    command: ["sh", "-c", "sleep infinity"]',
    );
    if (options.labFile !== undefined) {
      out.push(
        '    environment:',
        `      ${LAB_FILE_VARIABLE}: ${CONTAINER_LAB_FILE}`,
        `      ${LAB_NAME_VARIABLE}: ${topology.name}`,
        '    volumes:',
        `      - ${options.labFile}:${CONTAINER_LAB_FILE}:ro`,
      );
    }
    const servers = topology.nodes.filter((n) => n.role !== 'client' && n.role !== 'host');
    if (servers.length > 0) out.push('    depends_on:', ...servers.map((n) => `      - ${n.name}`));
    const dns = composeDns(node);
    if (dns.length > 0) out.push('    dns:', ...dns.map((d) => `      - ${d}`));
  }
  out.push(...nodeNetworks(node));
  return out;
}

/**
 * The client's `dns:` as the seed writes it: its IPv4 resolvers (Docker's embedded resolver,
 * 127.0.0.11, forwards to them, and resolv.conf reads as in the article); an IPv6 resolver
 * would be written into resolv.conf beside 127.0.0.11, so IPv6 ones are listed only when
 * the node has no IPv4 resolver. The lab's full list still drives dslab's own queries.
 */
export function composeDns(node: Node): string[] {
  const v4 = node.dns.filter((d) => !d.includes(':'));
  return v4.length > 0 ? v4 : node.dns;
}

export function renderCompose(topology: Topology, options: ComposeRenderOptions = {}): string {
  const router = topology.nodes.find((n) => forwards(n));
  if (router || topology.networks.some((n) => n.mtu !== undefined)) {
    throw new DslabError('DSLAB_E_LAB_ROUTER', `Lab "${topology.name}" has ${router ? `a ${router.role} node (${router.name})` : 'a network MTU'}, which the Docker backend cannot build: Docker's bridges route and size links themselves.`, {
      field: router ? 'nodes' : 'networks',
      hint: 'Use the namespace backend (leave out --backend docker) for routed labs and MTUs.',
    });
  }
  const opts: Required<Omit<ComposeRenderOptions, 'labFile'>> & Pick<ComposeRenderOptions, 'labFile'> = {
    buildContext: options.buildContext ?? '.',
    corefile: options.corefile ?? './Corefile',
    ...(options.labFile !== undefined ? { labFile: options.labFile } : {}),
  };
  const lines = [
    `# The ${topology.name} lab for Docker Compose (v2 "docker compose" and v1 "docker-compose").`,
    `# Written by "dslab export compose" from ${topology.source}: edit the lab file, not this.`,
    '# Images: DSLAB_WEB_IMAGE, DSLAB_DNS_IMAGE, DSLAB_CLIENT_IMAGE override the defaults.',
    'services:',
  ];
  // servers first, clients last, as in the article
  const order = [...topology.nodes].sort((a, b) => rank(a) - rank(b));
  for (const node of order) lines.push(...service(topology, node, opts));
  lines.push('networks:');
  for (const net of topology.networks) {
    lines.push(`  ${net.name}:`, '    driver: bridge', `    enable_ipv6: ${net.ipv6 ? 'true' : 'false'}`, '    ipam:', '      config:');
    if (net.ipv4) lines.push(`        - subnet: ${net.ipv4.cidr}`);
    if (net.ipv6) lines.push(`        - subnet: ${net.ipv6.cidr}`);
  }
  return lines.join('\n') + '\n';
}

function rank(node: Node): number {
  return { web: 0, dns: 1, client: 2, host: 3, router: 4, nat64: 5 }[node.role];
}
