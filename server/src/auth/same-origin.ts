/** What the origin check needs of a request (Fastify's request has it). */
export interface OriginFacts {
  method: string;
  protocol: string;
  host: string;
  headers: Record<string, string | string[] | undefined>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a state-changing request comes from this server's own origin: its `Origin` (or, when a
 * browser sent none, its `Referer`) must name this scheme and host. A cookie-authenticated request
 * must pass, so another site cannot make a signed-in browser act (cross-site request forgery);
 * one that names neither is refused too. Reads are let through: they change nothing.
 */
export function isSameOriginOrSafe(request: OriginFacts): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = header(request, 'origin') ?? originOf(header(request, 'referer'));
  return origin !== undefined && origin === `${request.protocol}://${request.host}`;
}

function header(request: OriginFacts, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' && value !== 'null' ? value : undefined;
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
