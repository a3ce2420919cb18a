import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { assertStrongFingerprint, strongHashes, writeActivationRequest } from '@seatlock/shared';
import { readDevice, type Device } from './device';
import { agentEnvironment, type AgentEnvironment } from './environment';
import { AgentError } from './errors';
import { install, type Installed } from './install';
import { writeFileAtomic } from './store';
import { trustRoots } from './trust';

export interface Activated extends Installed {
  deviceId: string;
  seats?: number;
  seatsUsed?: number;
}

/** The answer of POST /v1/activations. */
interface ActivationAnswer {
  deviceId: string;
  license: string;
  seats?: number;
  seatsUsed?: number;
}

/** The components of this device's fingerprint that its build declares, for the license to record. */
function declaredIn(device: Device): string[] {
  return Object.keys(device.fingerprint.components).filter((name) => device.declared.includes(name));
}

async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) return `${body.error.code}: ${body.error.message ?? ''}`.trim();
  } catch {
    // not the server's JSON error shape; the status says what happened
  }
  return `HTTP ${response.status} ${response.statusText}`;
}

/**
 * Online activation: sends this device's platform and hashed fingerprint with the pool's
 * activation code, then verifies and stores the license the server signs. A device with no
 * usable hardware identity is refused before anything is sent.
 *
 * @throws SeatlockError `WEAK_FINGERPRINT`; AgentError `NO_TRUST_ROOT`, `SERVER_UNREACHABLE`, `ACTIVATION_REFUSED` (with the server's code) or `LICENSE_REFUSED`.
 * @example const { deviceId, file } = await activate({ server: 'https://licenses.example.com', code: 'ABCD-1234' });
 */
export async function activate(options: { server: string; code: string; env?: AgentEnvironment }): Promise<Activated> {
  const env = options.env ?? agentEnvironment();
  // Before a seat is taken: the license will be verified against this root before it is stored.
  trustRoots(env);
  const device = readDevice(env);
  assertStrongFingerprint(device.fingerprint);
  const url = new URL('/v1/activations', options.server).toString();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ activationCode: options.code, platform: device.platform, fingerprint: device.fingerprint, declared: declaredIn(device) }),
    });
  } catch (error) {
    const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new AgentError('SERVER_UNREACHABLE', `Cannot reach the license server at ${url}: ${cause}`);
  }
  if (!response.ok) throw new AgentError('ACTIVATION_REFUSED', `Activation refused: ${await errorOf(response)}`);
  const answer = (await response.json()) as ActivationAnswer;
  if (typeof answer.license !== 'string') throw new AgentError('ACTIVATION_REFUSED', 'The server answered without a license.');
  const installed = await install(answer.license, env);
  return { ...installed, deviceId: answer.deviceId, seats: answer.seats, seatsUsed: answer.seatsUsed };
}

/**
 * The name of this device's request file in a directory that collects a line's requests: the
 * platform and a digest of the strong component hashes, the same for the same board every time
 * and different for every other board.
 */
export function requestFileName(device: Pick<Device, 'platform' | 'fingerprint'>): string {
  const hashes = strongHashes(device.fingerprint).map(({ name, hash }) => `${name}=${hash}`).sort();
  return `${device.platform}-${createHash('sha256').update(hashes.join('\n')).digest('hex').slice(0, 16)}.req`;
}

/**
 * Offline activation, first half: writes a request file (platform, hashed fingerprint,
 * activation code) to carry to the server; its answer is installed with {@link install}. When
 * `out` is a directory, the file in it is named after the device ({@link requestFileName}), so a
 * USB stick can collect a whole line's requests. Answers the path written.
 *
 * @throws SeatlockError `WEAK_FINGERPRINT` when the device has no usable hardware identity.
 * @example writeRequest({ code: 'ABCD-1234', out: '/mnt/usb/requests' }); // → /mnt/usb/requests/android-3f0c….req
 */
export function writeRequest(options: { code: string; out: string; env?: AgentEnvironment }): string {
  const device = readDevice(options.env ?? agentEnvironment());
  assertStrongFingerprint(device.fingerprint);
  const text = writeActivationRequest({ activationCode: options.code, platform: device.platform, fingerprint: device.fingerprint, declared: declaredIn(device) });
  const file = isDirectory(options.out) ? join(options.out, requestFileName(device)) : options.out;
  writeFileAtomic(file, text, 0o644);
  return file;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
