/**
 * Image references as docker and the distribution registry read them: `[REGISTRY/]REPOSITORY[:TAG][@DIGEST]`.
 *
 * - No registry part (the first path component has no `.` or `:` and is not `localhost`): Docker Hub,
 *   `docker.io`, whose API is served at `registry-1.docker.io`; a one-component name gets `library/`.
 * - Repository components are lowercase letters and digits joined by `.`, `_`, `__` or dashes. Capitals are
 *   refused here with a clear error, because the registry answers them with a bare 404.
 * - A tag is up to 128 characters of `[A-Za-z0-9_.-]` not starting with `.` or `-`; no tag and no digest means
 *   `latest`, as in docker.
 */
import { OciInputError } from './errors';

export interface ImageReference {
  /** The registry as written (or `docker.io`), e.g. `127.0.0.1:5000`, `ghcr.io`. Used in printed references. */
  registry: string;
  /** The host (with port) the API is served from: `registry-1.docker.io` for Docker Hub, else `registry`. */
  apiHost: string;
  /** The repository, e.g. `library/hello`, `acme/app`. */
  repository: string;
  tag?: string;
  /** `sha256:` followed by 64 lowercase hex digits. */
  digest?: string;
}

export const dockerHub = 'docker.io';
const dockerHubApi = 'registry-1.docker.io';
const dockerHubAliases = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

const componentPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;
const hostPattern =
  /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::[0-9]{1,5})?$/;

export function parseReference(text: string): ImageReference {
  const input = text.trim();
  const fail = (why: string): never => {
    throw new OciInputError(
      `invalid image reference "${input}": ${why} (expected REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST], e.g. ghcr.io/acme/app:1.0 or 127.0.0.1:5000/app)`,
    );
  };
  if (!input) fail('it is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) fail('leave out the scheme (http:// or https://); use --insecure for a plain-HTTP registry');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) fail(`"${digest}" is not a sha256 digest (sha256: followed by 64 lowercase hex digits)`);
  }

  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : dockerHub;
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  if (hasRegistry && !hostPattern.test(registry)) fail(`"${registry}" is not a registry host[:port]`);

  let tag: string | undefined;
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!tagPattern.test(tag)) fail(`"${tag}" is not a valid tag (up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -)`);
  }
  if (!path) fail('the repository name is missing');

  if (dockerHubAliases.has(registry.toLowerCase())) {
    registry = dockerHub;
    if (!path.includes('/')) path = `library/${path}`;
  }
  for (const component of path.split('/')) {
    if (!component) fail('the repository has an empty path component');
    if (component !== component.toLowerCase() && componentPattern.test(component.toLowerCase())) {
      fail(`repository names must be lowercase ("${component}" → "${component.toLowerCase()}"); registries answer capitals with 404`);
    }
    if (!componentPattern.test(component))
      fail(`"${component}" is not a valid repository component (lowercase letters and digits, joined by . _ __ or -)`);
  }
  if (path.length > 255) fail('the repository name is longer than 255 characters');
  if (!tag && !digest) tag = 'latest';

  const reference: ImageReference = { registry, apiHost: registry === dockerHub ? dockerHubApi : registry, repository: path };
  if (tag) reference.tag = tag;
  if (digest) reference.digest = digest;
  return reference;
}

/** `REGISTRY/REPOSITORY[:TAG][@DIGEST]`. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** `REGISTRY/REPOSITORY@DIGEST`: the immutable form printed after a push. */
export function digestReference(ref: Pick<ImageReference, 'registry' | 'repository'>, digest: string): string {
  return `${ref.registry}/${ref.repository}@${digest}`;
}
