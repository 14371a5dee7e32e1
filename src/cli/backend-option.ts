/**
 * `--backend NAME` of the lab commands: with `docker` a command hands over to the Docker
 * backend's actions (loaded only then); otherwise it goes on with network namespaces.
 */

export const BACKEND_OPTION_HELP = 'netns (network namespaces, the default) or docker (Docker Compose, like the article)';

/** The Docker backend's actions for `--backend docker`, undefined for netns; rejects unknown backends. */
export async function dockerActions(backend: string | undefined): Promise<typeof import('./docker-actions.js') | undefined> {
  if (backend === undefined) return undefined;
  const docker = await import('./docker-actions.js');
  return docker.isDockerBackend(backend) ? docker : undefined;
}
