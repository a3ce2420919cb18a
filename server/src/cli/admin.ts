#!/usr/bin/env node
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { isSeatlockError, LICENSE_ALGS, type LicenseAlg, negotiatedPriceFen, quote } from '@seatlock/shared';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { AuditCheckpoints } from '../audit/audit-checkpoints.service';
import { AuditService } from '../audit/audit.service';
import { CLI_CALLER } from '../auth/principal';
import { TokensService } from '../auth/tokens.service';
import { UsersService } from '../auth/users.service';
import { StderrLogger } from '../common/stderr-logger';
import { BackupRefused, backupSqlite, restoreSqlite } from '../backup/sqlite-backup';
import { CONFIG, inviteLink, loadConfig, type ServerConfig, sqlitePath } from '../config/config';
import { CustomersService } from '../customers/customers.service';
import type { DeviceStatus } from '../devices/device.entity';
import { DevicesService } from '../devices/devices.service';
import { OrdersService } from '../orders/orders.service';
import { RevocationsService } from '../revocations/revocations.service';
import { KeysService } from '../signing/keys.service';
import { TrialsService } from '../trials/trials.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { type Language, LANGUAGES } from '../mail/language';

const USAGE = `seatlock-admin: the operator's terminal. Opens the server's database directly
(SEATLOCK_DATA_DIR or DATABASE_URL; SEATLOCK_KEY_PASSPHRASE for keys).

  keys init [--offline-root FILE] [--alg A]
                                 create the root CA and the first issuing key (encrypted); with
                                 --offline-root the root key goes to FILE only, never the database
  keys rotate [--root FILE] [--alg A]
                                 new issuing key under the same root (an offline root's key from FILE)
                                 A: the license signature, EdDSA (default), ES256 or PS256 (RSA, as before)
  keys compromised KID           declare a retired issuing key leaked: the next revocation list refuses
                                 every license under it; devices that activate again get the new key's
                                 (a KID that begins with - goes after --: keys compromised -- -Ab…)
  keys show                      list keys and certificates
  revocations export --out FILE [--root FILE]
                                 the signed revocation list (revoked devices, retired and compromised
                                 issuing keys)
  tokens create --role R [--name N] [--customer ID]
                                 R: admin | issuer | auditor | customer (with --customer); shown once
  users invite --email E --role R [--name N] [--customer ID] [--language en|zh-CN]
                                 prints the link to open (SEATLOCK_PUBLIC_URL, else http://localhost:PORT)
                                 with the one-time invite (7 days), shown once
  trust export --out FILE        the root certificate (PEM) a development agent takes as SEATLOCK_TRUST_ROOT
  users list | users disable ID
  tokens list [--limit N] [--offset N | --cursor C] | tokens revoke ID
  customers create --name N | customers list
  quote --product P --quantity N [--unit-price X | --unit-price-fen F]
                                 a negotiated unit price in whole CNY, or in fen (39.50 CNY: 3950)
  orders submit --customer ID --product P --quantity N [--modality M] [--unit-price X | --unit-price-fen F]
  orders list [--status S] [--overdue] [--customer ID] | orders show ID
  orders approve ID [--unit-price X | --unit-price-fen F] | orders reject ID --reason R
  trials submit --customer ID --product P [--modality M]
  trials list [--status S] [--overdue] [--customer ID] | trials show ID
  trials approve ID | trials reject ID --reason R
  devices list [--pool ID] [--customer ID] [--status active|revoked] [--activated-from T] [--activated-before T]
  devices find --device ID | --license ID | --component NAME --value RAW
                                 support's lookup; RAW is a strong component's value read off the board
  devices show ID | devices revoke ID [--reason R]
  audit verify [--anchor FILE] [--resume]
                                 check the hash chain, its signed checkpoints and an anchor kept elsewhere;
                                 --resume: only the events after the newest signed checkpoint (or the anchor)
  audit anchor                   verify, then print the signed head (keep it outside the database)
  webhooks create --url U --events T[,T...]
                                 an endpoint for those event types (see the README); its secret is shown once
  webhooks list | webhooks show ID | webhooks delete ID
  webhooks update ID [--url U] [--events T,...] [--enable | --disable]
  webhooks rotate-secret ID      a new secret, shown once; the previous one also signs for 24 hours
  webhooks deliveries ID [--limit N] | webhooks send-again ID DELIVERY
  audit list [--limit N] [--offset N | --cursor C]
                                 lists print nextCursor: give it as --cursor for the next page (faster than --offset)
  backup --out FILE              a consistent copy of the SQLite database, taken while the server runs (it
                                 holds the encrypted keys; PostgreSQL: pg_dump, see the README)
  restore FILE [--force]         a backup as the database of an empty SEATLOCK_DATA_DIR; --force replaces
                                 the database of a non-empty one (stop the server first)

Prints JSON. Exit codes: 0 done, 1 refused or failed, 2 usage error, 3 audit chain broken.`;

const ACTOR = CLI_CALLER.actor;

class UsageError extends Error {}

type Flags = Record<string, string | boolean | undefined>;

function need(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

function text(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

function licenseAlg(flags: Flags): LicenseAlg | undefined {
  const value = text(flags, 'alg');
  if (value !== undefined && !LICENSE_ALGS.includes(value as LicenseAlg)) throw new UsageError(`--alg must be one of ${LICENSE_ALGS.join(', ')}.`);
  return value as LicenseAlg | undefined;
}

function whole(flags: Flags, name: string): number | undefined {
  const value = text(flags, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number.`);
  return Number(value);
}

/** A negotiated unit price in fen from `--unit-price` (whole CNY) or `--unit-price-fen`. */
function unitPriceFen(flags: Flags): number | undefined {
  return negotiatedPriceFen({ unitPrice: whole(flags, 'unit-price'), unitPriceFen: whole(flags, 'unit-price-fen') });
}

function deviceStatus(value: string | undefined): DeviceStatus | undefined {
  if (value !== undefined && value !== 'active' && value !== 'revoked') throw new UsageError('--status must be active or revoked.');
  return value;
}

function id(positionals: string[]): string {
  if (!positionals[2]) throw new UsageError('An id is required.');
  return positionals[2];
}

/** A progress reporter for long work: a line on stderr every 10 seconds at most, and at the end. */
function progressLine(what: string, unit: string): (done: number, total: number) => void {
  let printed = Date.now();
  return (done, total) => {
    if (done < total && Date.now() - printed < 10_000) return;
    printed = Date.now();
    process.stderr.write(`${what}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${unit}\n`);
  };
}

/** The anchor JWS from a file holding what `audit anchor` printed, or the JWS alone. */
function readAnchor(path: string): string {
  let content: string;
  try {
    content = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`--anchor: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  if (!content.startsWith('{')) return content;
  try {
    const printed = JSON.parse(content) as { anchor?: unknown };
    if (typeof printed.anchor === 'string') return printed.anchor;
  } catch {
    // reported below
  }
  throw new UsageError(`--anchor: ${path} holds neither what \`audit anchor\` printed nor an anchor JWS.`);
}

function language(value: string | undefined): Language | undefined {
  if (value !== undefined && !(LANGUAGES as readonly string[]).includes(value)) throw new UsageError(`--language must be one of ${LANGUAGES.join(', ')}.`);
  return value as Language | undefined;
}

function page(flags: Flags) {
  const cursor = text(flags, 'cursor');
  return { limit: whole(flags, 'limit') ?? 100, ...(cursor === undefined ? { offset: whole(flags, 'offset') ?? 0 } : { cursor }) };
}

async function run(app: INestApplicationContext, positionals: string[], flags: Flags): Promise<{ output: unknown; exitCode?: number }> {
  const [group, action] = positionals;
  const reviews = { status: text(flags, 'status') as 'submitted' | undefined, overdue: flags.overdue === true, customerId: text(flags, 'customer'), ...page(flags) };
  switch (`${group} ${action}`) {
    case 'keys init':
      return { output: await app.get(KeysService).initKeys(ACTOR, { offlineRoot: text(flags, 'offline-root'), alg: licenseAlg(flags) }) };
    case 'keys rotate':
      return { output: await app.get(KeysService).rotateIssuer(ACTOR, { rootKeyFile: text(flags, 'root'), alg: licenseAlg(flags) }) };
    case 'keys compromised':
      return { output: await app.get(KeysService).markCompromised(id(positionals), ACTOR) };
    case 'keys show':
      return { output: await app.get(KeysService).listKeys() };
    case 'revocations export': {
      const out = need(flags, 'out');
      const { text: list, ...summary } = await app.get(RevocationsService).exportRevocationList(ACTOR, text(flags, 'root'));
      writeFileSync(out, list);
      return { output: { ...summary, file: out } };
    }
    case 'tokens create':
      return { output: await app.get(TokensService).createToken({ role: need(flags, 'role'), name: text(flags, 'name') ?? `${need(flags, 'role')} token`, customerId: text(flags, 'customer') }, ACTOR) };
    case 'tokens list':
      return { output: await app.get(TokensService).listTokens(page(flags)) };
    case 'tokens revoke':
      return { output: await app.get(TokensService).revokeToken(id(positionals), ACTOR) };
    case 'users invite': {
      const invited = await app.get(UsersService).inviteUser({ email: need(flags, 'email'), role: need(flags, 'role'), name: text(flags, 'name'), customerId: text(flags, 'customer'), language: language(text(flags, 'language')) }, ACTOR);
      return { output: { ...invited, link: inviteLink(app.get<ServerConfig>(CONFIG), invited.invite) } };
    }
    case 'trust export': {
      const out = need(flags, 'out');
      const { root } = await app.get(KeysService).trust();
      writeFileSync(out, root);
      return { output: { file: out } };
    }
    case 'users list':
      return { output: await app.get(UsersService).listUsers(page(flags)) };
    case 'users disable':
      return { output: await app.get(UsersService).disableUser(id(positionals), ACTOR) };
    case 'customers create':
      return { output: await app.get(CustomersService).createCustomer(need(flags, 'name'), ACTOR) };
    case 'customers list':
      return { output: await app.get(CustomersService).listCustomers(page(flags)) };
    case 'orders submit':
      return {
        output: await app.get(OrdersService).submitOrder(
          { customerId: need(flags, 'customer'), product: need(flags, 'product'), quantity: whole(flags, 'quantity') ?? Number.NaN, modality: text(flags, 'modality'), unitPriceFen: unitPriceFen(flags) },
          CLI_CALLER,
        ),
      };
    case 'orders list':
      return { output: await app.get(OrdersService).listOrders(reviews) };
    case 'orders show':
      return { output: await app.get(OrdersService).getOrder(id(positionals)) };
    case 'orders approve':
      return { output: await app.get(OrdersService).approveOrder(id(positionals), CLI_CALLER, { reason: text(flags, 'reason'), unitPriceFen: unitPriceFen(flags) }) };
    case 'orders reject':
      return { output: await app.get(OrdersService).rejectOrder(id(positionals), ACTOR, text(flags, 'reason')) };
    case 'trials submit':
      return { output: await app.get(TrialsService).submitTrial({ customerId: need(flags, 'customer'), product: need(flags, 'product'), modality: text(flags, 'modality') }, CLI_CALLER) };
    case 'trials list':
      return { output: await app.get(TrialsService).listTrials(reviews) };
    case 'trials show':
      return { output: await app.get(TrialsService).getTrial(id(positionals)) };
    case 'trials approve':
      return { output: await app.get(TrialsService).approveTrial(id(positionals), CLI_CALLER, text(flags, 'reason')) };
    case 'trials reject':
      return { output: await app.get(TrialsService).rejectTrial(id(positionals), ACTOR, text(flags, 'reason')) };
    case 'devices list':
      return {
        output: await app.get(DevicesService).listDevices({
          poolId: text(flags, 'pool'),
          customerId: text(flags, 'customer'),
          status: deviceStatus(text(flags, 'status')),
          activatedFrom: text(flags, 'activated-from'),
          activatedBefore: text(flags, 'activated-before'),
          ...page(flags),
        }),
      };
    case 'devices find':
      return {
        output: await app.get(DevicesService).findDevices({ deviceId: text(flags, 'device'), licenseId: text(flags, 'license'), component: text(flags, 'component'), value: text(flags, 'value') }),
      };
    case 'devices show':
      return { output: await app.get(DevicesService).getDevice(id(positionals)) };
    case 'devices revoke':
      return { output: await app.get(DevicesService).revokeDevice(id(positionals), ACTOR, text(flags, 'reason')) };
    case 'audit verify': {
      const anchorFile = text(flags, 'anchor');
      const verdict = await app.get(AuditCheckpoints).verify({
        anchor: anchorFile === undefined ? undefined : readAnchor(anchorFile),
        resume: flags.resume === true,
        onProgress: progressLine('audit verify', 'events'),
      });
      return { output: verdict, exitCode: verdict.ok ? 0 : 3 };
    }
    case 'audit anchor': {
      const { verdict, anchor } = await app.get(AuditCheckpoints).anchor();
      if (!verdict.ok) return { output: verdict, exitCode: 3 };
      if (!anchor) throw new Error('The audit chain is empty: there is no head to sign.');
      return { output: anchor };
    }
    case 'audit list':
      return { output: await app.get(AuditService).listEvents(page(flags)) };
    case 'webhooks create':
      return { output: await app.get(WebhooksService).createEndpoint({ url: need(flags, 'url'), eventTypes: need(flags, 'events').split(',') }, ACTOR) };
    case 'webhooks list':
      return { output: { items: await app.get(WebhooksService).listEndpoints() } };
    case 'webhooks show':
      return { output: await app.get(WebhooksService).getEndpoint(id(positionals)) };
    case 'webhooks update': {
      if (flags.enable && flags.disable) throw new UsageError('Give --enable or --disable, not both.');
      const enabled = flags.enable ? true : flags.disable ? false : undefined;
      return { output: await app.get(WebhooksService).updateEndpoint(id(positionals), { url: text(flags, 'url'), eventTypes: text(flags, 'events')?.split(','), enabled }, ACTOR) };
    }
    case 'webhooks delete':
      await app.get(WebhooksService).deleteEndpoint(id(positionals), ACTOR);
      return { output: { deleted: id(positionals) } };
    case 'webhooks rotate-secret':
      return { output: await app.get(WebhooksService).rotateSecret(id(positionals), ACTOR) };
    case 'webhooks deliveries':
      return { output: { items: await app.get(WebhooksService).listDeliveries(id(positionals), whole(flags, 'limit') ?? 50) } };
    case 'webhooks send-again': {
      const delivery = Number(positionals[3]);
      if (!Number.isSafeInteger(delivery) || delivery < 1) throw new UsageError('webhooks send-again ID DELIVERY: DELIVERY is a delivery number (webhooks deliveries ID lists them).');
      return { output: await app.get(WebhooksService).sendAgain(id(positionals), delivery, ACTOR) };
    }
    default:
      throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      product: { type: 'string' },
      quantity: { type: 'string' },
      'unit-price': { type: 'string' },
      'unit-price-fen': { type: 'string' },
      modality: { type: 'string' },
      customer: { type: 'string' },
      pool: { type: 'string' },
      status: { type: 'string' },
      overdue: { type: 'boolean' },
      reason: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      cursor: { type: 'string' },
      'activated-from': { type: 'string' },
      'activated-before': { type: 'string' },
      device: { type: 'string' },
      license: { type: 'string' },
      component: { type: 'string' },
      value: { type: 'string' },
      'offline-root': { type: 'string' },
      alg: { type: 'string' },
      root: { type: 'string' },
      out: { type: 'string' },
      anchor: { type: 'string' },
      force: { type: 'boolean' },
      resume: { type: 'boolean' },
      url: { type: 'string' },
      language: { type: 'string' },
      events: { type: 'string' },
      enable: { type: 'boolean' },
      disable: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  // Quoting needs no database; backups copy its file without opening it as the server does.
  if (positionals[0] === 'quote') {
    process.stdout.write(`${JSON.stringify(quote(need(values, 'product'), whole(values, 'quantity') ?? Number.NaN, unitPriceFen(values)), null, 2)}\n`);
    return 0;
  }
  if (positionals[0] === 'backup' || positionals[0] === 'restore') return backupOrRestore(positionals, values);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: new StderrLogger({ logLevels: ['fatal', 'error', 'warn'] }) });
  try {
    const { output, exitCode } = await run(app, positionals, values);
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return exitCode ?? 0;
  } finally {
    await app.close();
  }
}

/** How often a long backup says how far it got. */
const PROGRESS_EVERY_MS = 1_000;

async function backupOrRestore(positionals: string[], flags: Flags): Promise<number> {
  const config = loadConfig();
  if (config.databaseUrl) {
    throw new UsageError('backup and restore copy the SQLite database; on PostgreSQL (DATABASE_URL) use pg_dump and pg_restore (README, Operating).');
  }
  try {
    if (positionals[0] === 'restore') {
      if (!positionals[1]) throw new UsageError('restore needs the backup FILE.');
      process.stdout.write(`${JSON.stringify(restoreSqlite(positionals[1], sqlitePath(config), { replace: flags.force === true }), null, 2)}\n`);
      return 0;
    }
    let lastLine = Date.now();
    const summary = await backupSqlite(sqlitePath(config), need(flags, 'out'), ({ copiedPages, totalPages }) => {
      if (Date.now() - lastLine < PROGRESS_EVERY_MS) return;
      lastLine = Date.now();
      process.stderr.write(`backup: ${Math.floor((copiedPages / totalPages) * 100)}% (${copiedPages.toLocaleString('en')} of ${totalPages.toLocaleString('en')} pages)\n`);
    });
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BackupRefused)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(isSeatlockError(error) ? `${error.code}: ${error.message}\n` : `${error.message}\n`);
    process.exit(1);
  },
);
