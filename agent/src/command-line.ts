import { closeSync, openSync, readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isSeatlockError, MAX_BATCH_REQUESTS, VERIFY_CODES, type VerifyResult } from '@seatlock/shared';
import { activate, writeRequest } from './activate';
import { describeDevice } from './device';
import { diagnose, type DiagnosticReport } from './diagnose';
import { agentEnvironment, type AgentEnvironment } from './environment';
import { AgentError } from './errors';
import { isBundle } from './bundle';
import { install, installFromBundle, type Installed } from './install';
import { provision, type ProvisionProgress, writeProvisionReport } from './provision';
import { installRevocations } from './revocations';
import { verify } from './verify';
import { watch } from './watch';

export const USAGE = `Usage: seatlock-agent <command> [options]

  fingerprint [--json]               this device's platform and hashed components
  activate --server URL --code CODE  online activation; stores the license
  request --code CODE --out FILE|DIR writes an offline activation request (in DIR: named after the device)
  install FILE|BUNDLE                verifies a license file (or this device's own license in a
                                     license bundle) against this device, then stores it
  provision --server URL --in DIR --out BUNDLE [--report FILE] [--chunk N]
                                     (a factory line's PC) activates every request file in DIR in
                                     batches, writes their licenses into one bundle; exits 0 when
                                     every request got a license, 1 otherwise
  install-revocations FILE           verifies a revocation list, then stores it if newer than the installed one
  verify [--feature F] [--json]      the boot check
  verify --watch [--feature F] [--json]
                                     the boot check, then resident: the same check every 5 minutes,
                                     counting a trial's running time; prints each new verdict, and
                                     on SIGTERM or SIGINT checks once more and exits with its code
  diagnose [--json]                  a support report: components looked for and found (hashes only),
                                     platform decision, license verdicts, clock record, system

verify exits 0 valid, 2 usage error, 10 no license, 11 invalid or untrusted, 12 device mismatch,
13 expired, 14 clock rolled back, 15 feature not licensed, 16 platform mismatch, 17 revoked.
Environment: SEATLOCK_HOME; development builds also SEATLOCK_SYSROOT, SEATLOCK_CONFIG, SEATLOCK_TRUST_ROOT.
`;

/** Where the command line prints. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Whether `err` is a terminal: progress is then one line redrawn in place. */
  terminal?: boolean;
}

const FAILED = 1;

class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<O extends Options>(args: string[], options: O, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== positionals) throw new UsageError(`expected ${positionals} argument(s), got ${parsed.positionals.length}`);
  return parsed;
}

function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`${flag} is required`);
  return value;
}

/** The one file a command takes as its argument, open for reading. */
function openArgumentFile(args: string[]): number {
  const { positionals } = parse(args, {}, 1);
  try {
    return openSync(positionals[0], 'r');
  } catch (error) {
    throw new UsageError(`cannot read ${positionals[0]}: ${(error as Error).message}`);
  }
}

/** The text of the one file a command takes as its argument. */
function readArgumentFile(args: string[]): string {
  const fd = openArgumentFile(args);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** A license file, or this device's license from a bundle (read in part: a line's bundle is large). */
async function installArgument(args: string[], env: AgentEnvironment): Promise<Installed> {
  const fd = openArgumentFile(args);
  try {
    return isBundle(fd) ? await installFromBundle(fd, env) : await install(readFileSync(fd, 'utf8'), env);
  } finally {
    closeSync(fd);
  }
}

function diagnosticText(report: DiagnosticReport): string {
  const lines = [
    `agent: ${report.agent.build} build, home ${report.agent.home}, sysroot ${report.agent.sysroot}`,
    `platform: ${report.platform.platform}${report.platform.supported ? '' : ' (not supported for activation)'}: ${report.platform.reason}`,
    ...Object.entries(report.platform.details).map(([key, value]) => `  ${key}: ${value}`),
    'components (raw values are never shown):',
    ...report.components.map((c) => {
      const seen = c.hash ? ` hash ${c.hash}, ${c.length} characters` : '';
      return `  ${c.name.padEnd(20)} ${c.status.padEnd(11)} ${c.strong ? 'strong' : 'weak  '}${c.declared ? ' declared' : ''}${seen}\n      looked in ${c.where}`;
    }),
    report.strong ? 'a strong component counts: this device can be activated' : 'no strong component counts: activation is refused with WEAK_FINGERPRINT',
    `licenses: ${report.licenses.length === 0 ? 'none installed' : ''}`,
    ...report.licenses.map((l) => `  ${l.file}: ${l.product ?? '?'} (${l.kind ?? '?'}) ${l.id ?? ''} → ${l.verdict.code} ${l.verdict.status}: ${l.verdict.message}`),
    'clock record:',
    ...report.clock.map((c) => `  ${c.file}: ${c.status}`),
    'system:',
  ];
  if ('unavailable' in report.system) lines.push(`  unavailable: ${report.system.unavailable}`);
  else for (const [name, part] of Object.entries(report.system)) lines.push(`  ${name}: ${part.ok ? JSON.stringify(part.value) : `failed: ${part.error}`}`);
  return `${lines.join('\n')}\n`;
}

function progressLine(p: ProvisionProgress, terminal: boolean): string {
  const counts = `${p.done}/${p.total}  created ${p.created}  existing ${p.existing}  refused ${p.refused}  ${p.rate.toFixed(0)}/s`;
  if (!terminal) return `provision: ${counts}\n`;
  const width = 30;
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${counts}\u001b[K`;
}

async function provisionCommand(args: string[], io: Output): Promise<number> {
  const { values } = parse(args, { server: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' }, report: { type: 'string' }, chunk: { type: 'string' } });
  const chunkSize = values.chunk === undefined ? undefined : Number(values.chunk);
  if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_BATCH_REQUESTS)) {
    throw new UsageError(`--chunk must be a whole number from 1 to ${MAX_BATCH_REQUESTS}`);
  }
  const terminal = io.terminal === true;
  const result = await provision({
    server: required(values.server, '--server'),
    inDir: required(values.in, '--in'),
    out: required(values.out, '--out'),
    chunkSize,
    onProgress: (p) => io.err(progressLine(p, terminal)),
    onRetry: (why, delayMs) => io.err(`${terminal ? '\n' : ''}provision: answer lost (${why}); sending the same batch again in ${(delayMs / 1000).toFixed(1)} s\n`),
  });
  if (terminal) io.err('\n');
  if (values.report) writeProvisionReport(values.report, result.devices);
  const byCode = Object.entries(result.refusedBy).map(([code, n]) => `${code} ${n}`).join(', ');
  io.out(`provisioned ${result.devices.length} request(s): created ${result.created}, existing ${result.existing}, refused ${result.refused}${byCode ? ` (${byCode})` : ''}\n`);
  io.out(`license bundle: ${values.out} (${result.licenses} license(s))\n`);
  if (values.report) io.out(`report: ${values.report}\n`);
  return result.refused === 0 ? 0 : FAILED;
}

function verdictJson(result: VerifyResult): object {
  const { fp: _fp, ...license } = result.license ?? {};
  const match = result.match && { score: result.match.score, matched: result.match.matched, missing: result.match.missing };
  return { valid: result.valid, code: result.code, status: result.status, message: result.message, license: result.license ? license : null, match: match ?? null };
}

function printVerdict(result: VerifyResult, io: Output): void {
  if (result.valid) {
    const l = result.license!;
    const until = l.exp ? `, until ${new Date(l.exp * 1000).toISOString()}` : '';
    io.out(`valid: ${l.product} (${l.kind}${until}), license ${l.jti}, device ${l.sub}\n`);
    return;
  }
  io.err(`not licensed (${result.code} ${result.status}): ${result.message}\n`);
  if (result.match?.missing.length) io.err(`  matched: ${result.match.matched.join(', ') || 'none'}; missing or different: ${result.match.missing.join(', ')}\n`);
}

/** `verify --watch`: resident until init stops it. */
async function watchCommand(feature: string | undefined, env: AgentEnvironment, show: (result: VerifyResult) => void, io: Output): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal).once('SIGINT', onSignal);
  try {
    const result = await watch({ feature, env, signal: stop.signal, onVerdict: show, onError: (error) => io.err(`seatlock-agent: ${error.message}\n`) });
    return result.code;
  } finally {
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
  }
}

async function runCommand(command: string | undefined, args: string[], env: AgentEnvironment, io: Output): Promise<number> {
  switch (command) {
    case 'fingerprint': {
      const { values } = parse(args, { json: { type: 'boolean' } });
      const device = describeDevice(env);
      if (values.json) {
        io.out(`${JSON.stringify(device, null, 2)}\n`);
        return 0;
      }
      io.out(`platform: ${device.platform}${device.supported ? '' : ' (not supported for activation)'}\n`);
      for (const [key, value] of Object.entries(device.details)) io.out(`${key}: ${value}\n`);
      for (const [name, c] of Object.entries(device.fingerprint.components)) io.out(`  ${name.padEnd(20)} ${c.s ? 'strong' : 'weak  '} w${c.w} ${c.h}\n`);
      if (!device.strong) io.out('no usable strong component: this device cannot be activated\n');
      return 0;
    }
    case 'activate': {
      const { values } = parse(args, { server: { type: 'string' }, code: { type: 'string' } });
      const activated = await activate({ server: required(values.server, '--server'), code: required(values.code, '--code'), env });
      const l = activated.result.license!;
      io.out(`activated: device ${activated.deviceId}, ${l.product} (${l.kind}), license stored in ${activated.file}\n`);
      return 0;
    }
    case 'request': {
      const { values } = parse(args, { code: { type: 'string' }, out: { type: 'string' } });
      const file = writeRequest({ code: required(values.code, '--code'), out: required(values.out, '--out'), env });
      io.out(`activation request written to ${file}\n`);
      return 0;
    }
    case 'provision':
      return provisionCommand(args, io);
    case 'install': {
      const installed = await installArgument(args, env);
      const l = installed.result.license!;
      io.out(`installed: ${l.product} (${l.kind}), license ${l.jti}, in ${installed.file}\n`);
      return 0;
    }
    case 'install-revocations': {
      const { file, list } = await installRevocations(readArgumentFile(args), env);
      io.out(`installed: revocation list ${list.serial} (${list.devices.length} device(s), ${list.issuers.length} issuing key(s)), in ${file}\n`);
      return 0;
    }
    case 'diagnose': {
      const { values } = parse(args, { json: { type: 'boolean' } });
      const report = await diagnose(env);
      io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : diagnosticText(report));
      return 0;
    }
    case 'verify': {
      const { values } = parse(args, { feature: { type: 'string' }, json: { type: 'boolean' }, watch: { type: 'boolean' } });
      const show = (result: VerifyResult) => (values.json ? io.out(`${JSON.stringify(verdictJson(result))}\n`) : printVerdict(result, io));
      if (values.watch) return watchCommand(values.feature, env, show, io);
      const result = await verify({ feature: values.feature, env });
      show(result);
      return result.code;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

/**
 * Runs one command line and answers its exit code.
 *
 * @example process.exitCode = await run(['verify', '--json'], process.env, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
 */
export async function run(argv: string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--help' || command === 'help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  try {
    return await runCommand(command, args, agentEnvironment(env), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`seatlock-agent: ${error.message}\n\n${USAGE}`);
      return VERIFY_CODES.USAGE;
    }
    if (error instanceof AgentError) {
      io.err(`seatlock-agent: ${error.message}\n`);
      return error.exitCode ?? (error.code === 'CONFIG_INVALID' ? VERIFY_CODES.USAGE : FAILED);
    }
    if (isSeatlockError(error)) {
      io.err(`seatlock-agent: ${error.code}: ${error.message}\n`);
      return FAILED;
    }
    io.err(`seatlock-agent: ${(error as Error).stack ?? String(error)}\n`);
    return FAILED;
  }
}
