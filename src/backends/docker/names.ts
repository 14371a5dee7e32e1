/**
 * Names of what the Docker backend creates, derived from the lab name like the namespace
 * backend's: the default lab `dslab` keeps the article's names (containers `rd-ds-web`, ...,
 * project `rd-dualstack-lab`); any other lab gets `rd-<lab>-<node>` and project `rd-<lab>`.
 */
import type { Role } from '../../lab/topology.js';

export const DEFAULT_LAB = 'dslab';

export function containerName(lab: string, node: string): string {
  return lab === DEFAULT_LAB ? `rd-ds-${node}` : `rd-${lab}-${node}`;
}

/** The compose project name (`-p`): it prefixes the network, `rd-dualstack-lab_dsnet`. */
export function projectName(lab: string): string {
  return lab === DEFAULT_LAB ? 'rd-dualstack-lab' : `rd-${lab}`;
}

/** The environment variable that overrides a role's image, and the default image. */
export interface RoleImage {
  variable: string;
  image: string;
}

export const ROLE_IMAGES: Record<Role, RoleImage> = {
  web: { variable: 'DSLAB_WEB_IMAGE', image: 'nginx:alpine' },
  dns: { variable: 'DSLAB_DNS_IMAGE', image: 'coredns/coredns:1.11.1' },
  client: { variable: 'DSLAB_CLIENT_IMAGE', image: 'dslab-client:latest' },
  host: { variable: 'DSLAB_CLIENT_IMAGE', image: 'dslab-client:latest' },
  router: { variable: 'DSLAB_CLIENT_IMAGE', image: 'dslab-client:latest' },
  nat64: { variable: 'DSLAB_CLIENT_IMAGE', image: 'dslab-client:latest' },
};
