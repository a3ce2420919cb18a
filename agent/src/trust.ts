import { readFileSync, type PathLike } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { parseCertificates } from '@seatlock/shared';
import type { AgentEnvironment } from './environment';
import { AgentError } from './errors';

// Replaced by the bundler with the root certificate's PEM; an undeclared global otherwise.
declare const SEATLOCK_EMBEDDED_ROOT: string | undefined;

/** The root certificate PEM built into this agent, if it was bundled with one. */
export function embeddedRoot(): string | undefined {
  return typeof SEATLOCK_EMBEDDED_ROOT === 'string' ? SEATLOCK_EMBEDDED_ROOT : undefined;
}

function readPem(path: PathLike): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AgentError('NO_TRUST_ROOT', `Cannot read SEATLOCK_TRUST_ROOT (${String(path)}): ${(error as Error).message}`);
  }
}

/**
 * The roots licenses must chain to. An embedded root wins and cannot be overridden: otherwise
 * the device owner could point the agent at a root of their own and sign their own licenses.
 *
 * @throws AgentError `NO_TRUST_ROOT` when there is no embedded root and SEATLOCK_TRUST_ROOT is unset or unreadable.
 * @example const roots = trustRoots(agentEnvironment());
 */
export function trustRoots(env: AgentEnvironment): X509Certificate[] {
  const pem = embeddedRoot() ?? (env.trustRootPath ? readPem(env.trustRootPath) : undefined);
  if (pem === undefined) {
    throw new AgentError('NO_TRUST_ROOT', 'This agent build has no embedded root certificate and SEATLOCK_TRUST_ROOT is not set.');
  }
  let roots: X509Certificate[];
  try {
    roots = parseCertificates(pem);
  } catch (error) {
    throw new AgentError('NO_TRUST_ROOT', `The trust root is not a valid certificate: ${(error as Error).message}`);
  }
  if (roots.length === 0) throw new AgentError('NO_TRUST_ROOT', 'The trust root holds no PEM certificate.');
  return roots;
}
