import { assertStrongFingerprint, writeActivationRequest } from '@seatlock/shared';
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
 * Offline activation, first half: writes a request file (platform, hashed fingerprint,
 * activation code) to carry to the server; its answer is installed with {@link install}.
 *
 * @throws SeatlockError `WEAK_FINGERPRINT` when the device has no usable hardware identity.
 * @example writeRequest({ code: 'ABCD-1234', out: '/mnt/usb/request.txt' });
 */
export function writeRequest(options: { code: string; out: string; env?: AgentEnvironment }): string {
  const device = readDevice(options.env ?? agentEnvironment());
  assertStrongFingerprint(device.fingerprint);
  const text = writeActivationRequest({ activationCode: options.code, platform: device.platform, fingerprint: device.fingerprint, declared: declaredIn(device) });
  writeFileAtomic(options.out, text, 0o644);
  return text;
}
