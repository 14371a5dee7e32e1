/**
 * The experiments' view of a Docker lab (src/experiments/lab-access.ts): programs run in a
 * node's container through `docker exec -i`, the runner with the image's Node.js and its copy
 * of dslab, the health from the containers' states.
 */
import type { LabAccess } from '../../experiments/lab-access.js';
import { dockerStatus } from './backend.js';
import { docker, dockerFile } from './tools.js';

/** Where dslab lives in the client image (docker/client/Dockerfile). */
export const IMAGE_DSLAB_DIR = '/opt/dslab';

/** `containers`: the container of each node, as dockerUp journals them. */
export function dockerLabAccess(lab: string, project: string, containers: (node: string) => string): LabAccess {
  return {
    lab,
    nodeCommand: (node, argv) => ({ file: dockerFile(), args: ['exec', '-i', containers(node), ...argv] }),
    runInNode: (node, argv, options) => docker(['exec', containers(node), ...argv], options),
    runnerArgv: () => ['node', `${IMAGE_DSLAB_DIR}/dist/src/experiments/in-node.js`],
    status: async () => {
      const s = await dockerStatus(lab, project);
      const running = s.containers.length > 0 && s.containers.every((c) => c.state === 'running');
      return { health: running ? 'up' : 'degraded', services: s.containers.map((c) => ({ id: c.name, health: c.state })) };
    },
  };
}
