import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { componentSpec, hashComponent, isPlaceholder, isSupportedPlatform, normalizeComponent, parseLicense, type RawComponent, type VerifyResult } from '@seatlock/shared';
import { openClock } from './clock';
import { collect, explainPlatform, Sysroot, type DevicePlatform } from './collect';
import { COMPONENT_SOURCES } from './collect/sources';
import { agentConfig } from './config';
import { readDevice } from './device';
import { agentEnvironment, isReleaseBuild, type AgentEnvironment } from './environment';
import { AgentError } from './errors';
import { installedRevocations } from './revocations';
import { LicenseStore } from './store';
import type { SystemSection } from './system-info';
import { trustRoots } from './trust';
import { checkLicense } from './verify';

/** One component the agent looked for. Never the raw value: its keyed hash and its length. */
export interface ComponentFinding {
  name: string;
  where: string;
  /** `placeholder`: present but a default or low-information value, which does not count. */
  status: 'found' | 'placeholder' | 'missing';
  strong: boolean;
  weight?: number;
  hash?: string;
  length?: number;
  declared?: boolean;
}

export interface DiagnosticReport {
  agent: { build: 'release' | 'development'; home: string; sysroot: string };
  platform: { platform: DevicePlatform; supported: boolean; reason: string; details: Record<string, string> };
  components: ComponentFinding[];
  /** Whether a strong component counts (activation needs one); otherwise WEAK_FINGERPRINT. */
  strong: boolean;
  licenses: { file: string; id?: string; kind?: string; product?: string; verdict: { code: number; status: string; message: string } }[];
  clock: { file: string; status: 'ok' | 'missing' | 'tampered' }[];
  system: SystemSection | { unavailable: string };
}

// The file name of the system section's bundle beside the one-file agent, set by the bundler.
declare const SEATLOCK_SYSTEM_BUNDLE: string | undefined;

/**
 * systeminformation is loaded here only, so that neither the boot check's time nor its bundle
 * grows: in the one-file agent it is a second file beside it, required at run time.
 */
async function loadSystemSection(): Promise<SystemSection | { unavailable: string }> {
  const file = typeof SEATLOCK_SYSTEM_BUNDLE === 'string' ? join(__dirname, SEATLOCK_SYSTEM_BUNDLE) : './system-info';
  let systemInfo: typeof import('./system-info');
  try {
    systemInfo = require(file);
  } catch (error) {
    return { unavailable: `the system section's code could not be loaded (${file}): ${(error as Error).message.split('\n')[0]}` };
  }
  return systemInfo.systemSection();
}

function finding(name: string, where: string, reading: RawComponent | undefined, declared = false): ComponentFinding {
  const spec = reading?.spec ?? componentSpec(name);
  const base = { name, where, strong: spec?.strong ?? false, weight: spec?.weight, ...(declared ? { declared } : {}) };
  if (!reading) return { ...base, status: 'missing' };
  const normalized = normalizeComponent(name, reading.value);
  return { ...base, status: isPlaceholder(name, normalized) ? 'placeholder' : 'found', hash: hashComponent(name, normalized), length: normalized.length };
}

/** Every component the platform's collector and the device maker's config look for, and what each found. */
function componentFindings(env: AgentEnvironment, sys: Sysroot, platform: DevicePlatform): ComponentFinding[] {
  const config = agentConfig(env);
  const { readings } = collect(sys, config);
  const byName = new Map(readings.map((r) => [r.name, r]));
  const findings: ComponentFinding[] = [];
  for (const [name, where] of Object.entries(COMPONENT_SOURCES[platform])) {
    if (name === 'net.mac.*') {
      const macs = readings.filter((r) => r.name.startsWith('net.mac.'));
      for (const mac of macs) findings.push(finding(mac.name, `sys/class/net/${mac.name.slice('net.mac.'.length)}/address`, mac));
      if (macs.length === 0) findings.push({ name, where, status: 'missing', strong: false });
    } else {
      findings.push(finding(name, where, byName.get(name)));
    }
  }
  for (const declared of config.components) findings.push(finding(declared.name, declared.file, byName.get(declared.name), true));
  return findings;
}

async function licenseVerdicts(env: AgentEnvironment, store: LicenseStore): Promise<DiagnosticReport['licenses']> {
  const stored = store.licenses();
  if (stored.length === 0) return [];
  let roots: X509Certificate[] | undefined;
  let trustProblem: string | undefined;
  try {
    roots = trustRoots(env);
  } catch (error) {
    if (!(error instanceof AgentError)) throw error;
    trustProblem = error.message;
  }
  const device = readDevice(env);
  const revocations = roots ? await installedRevocations(store, roots).catch(() => undefined) : undefined;
  const nowMs = Date.now();
  return Promise.all(
    stored.map(async ({ file, text }) => {
      let claims;
      try {
        claims = parseLicense(text).claims;
      } catch {
        // the verdict below says what is wrong with it
      }
      // The clock record is not passed: a report must not advance or rewrite it.
      const result: VerifyResult = roots
        ? await checkLicense(text, { device, roots, revocations, nowMs })
        : { valid: false, code: 11, status: 'INVALID', message: trustProblem ?? 'No trust root.' };
      return { file, id: claims?.jti, kind: claims?.kind, product: claims?.product, verdict: { code: result.code, status: result.status, message: result.message } };
    }),
  );
}

/**
 * The support report of `seatlock-agent diagnose`: what the agent looked for and where, what it
 * found (hashes and lengths, never raw values), why it chose its platform, the installed
 * licenses' verdicts, the clock record's copies and a system section. Reads only: nothing on the
 * device changes.
 *
 * @example const report = await diagnose(); report.components.filter((c) => c.status === 'placeholder')
 */
export async function diagnose(env: AgentEnvironment = agentEnvironment()): Promise<DiagnosticReport> {
  const sys = new Sysroot(env.sysroot);
  const { platform, reason } = explainPlatform(sys);
  const device = readDevice(env);
  const store = new LicenseStore(env.home);
  const components = componentFindings(env, sys, platform);
  const clockTexts = store.readClocks(device.clockDirs);
  return {
    agent: { build: isReleaseBuild() ? 'release' : 'development', home: env.home, sysroot: env.sysroot },
    platform: { platform, supported: isSupportedPlatform(platform), reason, details: device.details },
    components,
    strong: components.some((c) => c.strong && c.status === 'found'),
    licenses: await licenseVerdicts(env, store),
    clock: store.clockFiles(device.clockDirs).map((file, i) => ({ file, status: openClock(clockTexts[i], device.clockKey).status })),
    system: await loadSystemSection(),
  };
}
