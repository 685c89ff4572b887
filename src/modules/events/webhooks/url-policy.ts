import ipaddr from 'ipaddr.js';

/** Where endpoints may point: production refuses plain http and anything inside a private network. */
export interface UrlPolicy {
  production: boolean;
  /** The addresses a host name resolves to (Node: DNS); absent on Workers, whose fetch cannot reach private networks anyway. */
  resolveHost?: (host: string) => Promise<string[]>;
}

const MAX_URL_LENGTH = 2048;

/** Public unicast only: loopback, private, link-local, unique-local, carrier-grade NAT, multicast … are refused. */
function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * Why `raw` may not be a webhook endpoint under `policy`, or null when it may. Checked when an
 * endpoint is created or changed, and in production again before every attempt, since what a name
 * resolves to can change after it was checked.
 */
export async function endpointUrlProblem(raw: string, policy: UrlPolicy): Promise<string | null> {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL such as https://example.com/webhooks';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  if (!policy.production) return ['http:', 'https:'].includes(url.protocol) ? null : 'must be an http:// or https:// URL';
  if (url.protocol !== 'https:') return 'must be an https:// URL in production';

  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at this machine (localhost)';
  if (ipaddr.isValid(host)) return isPublicAddress(host) ? null : 'must not point at a loopback, private or link-local address';
  if (!policy.resolveHost) return null;
  const addresses = await policy.resolveHost(host).catch(() => []);
  if (addresses.length === 0) return `its host ${host} does not resolve`;
  return addresses.every(isPublicAddress) ? null : `its host ${host} resolves to a loopback, private or link-local address`;
}
