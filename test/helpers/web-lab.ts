/**
 * Web test fixtures: a web server config on both loopbacks. (The article's lab as a Topology
 * is articleTopology() in lab-fixtures.ts.)
 */
import type { WebServerConfig } from '../../src/services/web/config.js';

/** Built-in server config on 127.0.0.1 (and ::1 when `v6`), port 0. */
export function loopbackWebConfig(v6: boolean): WebServerConfig {
  return {
    name: 'web',
    listen: [{ address: '127.0.0.1', port: 0 }, ...(v6 ? [{ address: '::1', port: 0 }] : [])],
  };
}
