/**
 * Which URLs a registry client may talk to. Credentials and artifacts travel over https, except to a registry on
 * this machine (loopback: `localhost`, 127.0.0.0/8, `::1`) or when the user passed `insecure`, which allows plain
 * http everywhere. The same rule covers URLs the registry hands back: token realms, upload locations, redirects,
 * so a registry cannot steer credentials onto plain http to another host.
 */
import { OciInputError } from './errors';

export function isLoopbackHost(host: string): boolean {
  const name = host
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Base URL of a registry's API: plain http only on loopback or when `insecure` is set. */
export function registryBaseUrl(apiHost: string, insecure = false): string {
  return `${isLoopbackHost(apiHost) || insecure ? 'http' : 'https'}://${apiHost}`;
}

/** Throws when `url` is plain http to a host that is not loopback and `insecure` is not set. */
export function checkUrlAllowed(url: string | URL, insecure: boolean, what: string): URL {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol !== 'http:')
    throw new OciInputError(`${what}: refusing ${parsed.protocol} URL ${parsed.origin}; only https (or http on loopback) is used`);
  if (insecure || isLoopbackHost(parsed.host)) return parsed;
  throw new OciInputError(
    `${what}: refusing plain http to ${parsed.host} (not a loopback address); registries are reached over https. ` +
      'If this registry really serves plain http on a trusted network, pass --insecure (insecure: true).',
  );
}
