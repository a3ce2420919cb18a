#!/usr/bin/env node
// npm run demo: the whole story on a server of its own, each step with the command a person would
// type. Leaves the server running until Ctrl-C; --exit stops it at the end instead.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = join(ROOT, 'server/dist/bin/server.js');
const ADMIN_CLI = join(ROOT, 'server/dist/bin/admin.js');
const AGENT = join(ROOT, 'agent/dist/seatlock-agent.dev.js');
const FIXTURES = join(ROOT, 'test/fixtures/devices');
const exitAtEnd = process.argv.includes('--exit');
const started = Date.now();

const W = mkdtempSync(join(tmpdir(), 'seatlock-demo-'));
const dataDir = join(W, 'data');
const T = `demo-admin-${randomBytes(12).toString('hex')}`;
const APPROVER_PASSWORD = `approver-${randomBytes(6).toString('hex')}`;
let S = '';
let server;
let stepNumber = 0;

function step(title) {
  stepNumber += 1;
  process.stdout.write(`\n${stepNumber}. ${title}\n`);
}

/** The command as typed, in the shell variables printed at the start ($S, $T, $W). */
function typed(command) {
  process.stdout.write(`   $ ${command}\n`);
}

function said(text) {
  for (const line of text.trimEnd().split('\n')) process.stdout.write(`     ${line}\n`);
}

/** A call as the admin token T, another token, or a signed-in person's session cookie. */
async function api(method, path, { token = T, cookie, body, text } = {}) {
  // A session is sent by its cookie, and from the server's own origin (its CSRF rule).
  const headers = cookie ? { cookie, origin: S } : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (text !== undefined) headers['content-type'] = 'text/plain';
  const response = await fetch(`${S}${path}`, { method, headers, body: text ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const answer = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  return { status: response.status, body: answer };
}

async function expectOk(call, what) {
  const answer = await call;
  if (answer.status >= 300) throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

function board(name, fixture) {
  const sysroot = join(W, name);
  cpSync(join(FIXTURES, fixture), sysroot, { recursive: true });
  const env = { SEATLOCK_SYSROOT: sysroot, SEATLOCK_HOME: join(sysroot, 'seatlock'), SEATLOCK_TRUST_ROOT: join(W, 'root.pem') };
  const config = join(sysroot, 'etc/seatlock/agent.json');
  try {
    readFileSync(config);
    env.SEATLOCK_CONFIG = config;
  } catch {
    // this board declares no components of its maker's
  }
  const prefix = `SEATLOCK_SYSROOT=$W/${name} SEATLOCK_HOME=$W/${name}/seatlock SEATLOCK_TRUST_ROOT=$W/root.pem${env.SEATLOCK_CONFIG ? ` SEATLOCK_CONFIG=$W/${name}/etc/seatlock/agent.json` : ''}`;
  return {
    /** Runs the development agent on this board; answers its exit code. */
    agent(args, shown = args.join(' ')) {
      typed(`${prefix} node agent/dist/seatlock-agent.dev.js ${shown}`);
      const run = spawnSync(process.execPath, [AGENT, ...args], { cwd: W, env: { ...process.env, ...env }, encoding: 'utf8' });
      said(`${run.stdout}${run.stderr}`.trim() || '(no output)');
      said(`exit ${run.status}`);
      return run.status;
    },
  };
}

function must(condition, what) {
  if (!condition) throw new Error(what);
}

async function startServer() {
  mkdirSync(dataDir);
  const log = openSync(join(W, 'server.log'), 'a');
  server = spawn(process.execPath, [SERVER], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', SEATLOCK_DATA_DIR: dataDir, SEATLOCK_ADMIN_TOKEN: T, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', log],
  });
  const listening = await new Promise((resolveUrl, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^Seatlock server listening on http:\/\/[^:]+:(\d+)$/m.exec(out);
      if (match) resolveUrl(`http://127.0.0.1:${match[1]}`);
    });
    server.once('exit', (code) => reject(new Error(`the server stopped (exit ${code}); its log: ${join(W, 'server.log')}`)));
  });
  S = listening;
}

async function main() {
  process.stdout.write(`Seatlock demo. Work folder W=${W}\n`);
  step('A license server on a data directory of its own and a free port');
  typed(`SEATLOCK_DATA_DIR=$W/data SEATLOCK_ADMIN_TOKEN=$T HOST=127.0.0.1 PORT=0 LOG_FORMAT=json node server/dist/bin/server.js 2>$W/server.log &`);
  await startServer();
  said(`listening: S=${S}\nadmin token: T=${T}\nits JSON log: $W/server.log`);

  step('A second admin, another person: four-eyes review means whoever submits an application cannot approve it, through any credential of theirs');
  typed(`V=$(curl -s -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"email":"approver@demo.example","role":"admin","name":"Approver"}' $S/v1/users | jq -r .invite)`);
  const { invite } = await expectOk(api('POST', '/v1/users', { body: { email: 'approver@demo.example', role: 'admin', name: 'Approver' } }), 'second admin');
  typed(`curl -s -H 'content-type: application/json' -d "{\\"invite\\":\\"$V\\",\\"password\\":\\"${APPROVER_PASSWORD}\\"}" $S/v1/users/accept`);
  await expectOk(api('POST', '/v1/users/accept', { body: { invite, password: APPROVER_PASSWORD } }), 'accepting the invite');
  typed(`curl -s -c $W/approver.cookies -H 'content-type: application/json' -d '{"email":"approver@demo.example","password":"${APPROVER_PASSWORD}"}' $S/v1/session`);
  const signIn = await fetch(`${S}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'approver@demo.example', password: APPROVER_PASSWORD }) });
  must(signIn.ok, `the second admin could not sign in: HTTP ${signIn.status}`);
  const approver = signIn.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  said('signed in (curl keeps its session cookie in $W/approver.cookies)');

  step('A customer');
  typed(`curl -s -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"name":"Acme Cameras"}' $S/v1/customers`);
  const customer = await expectOk(api('POST', '/v1/customers', { body: { name: 'Acme Cameras' } }), 'customer');
  said(`C=${customer.id}`);

  step('A trial of face detection (60 days, up to 3 devices), submitted by one admin and approved by the other');
  typed(`curl -s -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"customerId":"'$C'","product":"face-detection"}' $S/v1/trials`);
  const trial = await expectOk(api('POST', '/v1/trials', { body: { customerId: customer.id, product: 'face-detection' } }), 'trial');
  typed(`curl -s -X POST -b $W/approver.cookies -H "origin: $S" $S/v1/trials/${trial.id}/approve`);
  const trialPool = (await expectOk(api('POST', `/v1/trials/${trial.id}/approve`, { cookie: approver }), 'trial approval')).pool;
  said(`approved: pool ${trialPool.id}, activation code ${trialPool.activationCode}`);

  step('A purchase of 50 face-recognition licenses (IR) at list price');
  typed(`curl -s "$S/v1/quote?product=face-recognition&quantity=50"`);
  const quote = await expectOk(api('GET', '/v1/quote?product=face-recognition&quantity=50'), 'quote');
  said(`${quote.quantity} × ${quote.unitPrice} = ${quote.total} ${quote.currency}`);
  typed(`curl -s -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"customerId":"'$C'","product":"face-recognition","modality":"ir","quantity":50}' $S/v1/orders`);
  const order = await expectOk(api('POST', '/v1/orders', { body: { customerId: customer.id, product: 'face-recognition', modality: 'ir', quantity: 50 } }), 'order');
  typed(`curl -s -X POST -H "authorization: Bearer $T" $S/v1/orders/${order.id}/approve     # the submitter itself`);
  const self = await api('POST', `/v1/orders/${order.id}/approve`);
  must(self.status === 403, `the submitter approved its own order: ${self.status}`);
  said(`refused: ${self.status} ${self.body.error.code}: ${self.body.error.message}`);
  typed(`curl -s -X POST -b $W/approver.cookies -H "origin: $S" $S/v1/orders/${order.id}/approve`);
  const pool = (await expectOk(api('POST', `/v1/orders/${order.id}/approve`, { cookie: approver }), 'order approval')).pool;
  const CODE = pool.activationCode;
  said(`approved: pool ${pool.id}, CODE=${CODE}   (shown once)`);

  step("The server's root certificate, which a development agent trusts (a release agent embeds it)");
  typed(`SEATLOCK_DATA_DIR=$W/data npx seatlock-admin trust export --out $W/root.pem`);
  const exported = spawnSync(process.execPath, [ADMIN_CLI, 'trust', 'export', '--out', join(W, 'root.pem')], { cwd: ROOT, env: { ...process.env, SEATLOCK_DATA_DIR: dataDir }, encoding: 'utf8' });
  must(exported.status === 0, `trust export: ${exported.stderr}`);
  said(readFileSync(join(W, 'root.pem'), 'utf8').split('\n')[0]);

  step('Board A (an Android RK3568, captured) activates online with the agent, then checks its license offline');
  const boardA = board('board-a', 'android-rk3568');
  must(boardA.agent(['activate', '--server', S, '--code', CODE], 'activate --server $S --code $CODE') === 0, 'board A: activation failed');
  must(boardA.agent(['verify']) === 0, 'board A: verify failed');

  step('Board B (a HiSilicon DV300 with eMMC) has no network: request file out, license file in');
  const boardB = board('board-b', 'hi3516dv300-emmc');
  must(boardB.agent(['request', '--code', CODE, '--out', join(W, 'board-b.req')], 'request --code $CODE --out $W/board-b.req') === 0, 'board B: request failed');
  typed(`curl -s -H 'content-type: text/plain' --data-binary @$W/board-b.req $S/v1/activations/offline > $W/board-b.lic`);
  const license = await expectOk(api('POST', '/v1/activations/offline', { token: '', text: readFileSync(join(W, 'board-b.req'), 'utf8') }), 'offline activation');
  writeFileSync(join(W, 'board-b.lic'), license);
  said(`${license.length} bytes of signed license`);
  must(boardB.agent(['install', join(W, 'board-b.lic')], 'install $W/board-b.lic') === 0, 'board B: install failed');
  must(boardB.agent(['verify']) === 0, 'board B: verify failed');

  step("Board C (a DV300 on NAND) is given board B's license file: it is bound to board B's hardware");
  const boardC = board('board-c', 'hi3516dv300-nand');
  const copied = boardC.agent(['install', join(W, 'board-b.lic')], 'install $W/board-b.lic');
  must(copied !== 0, 'board C: the copied license was accepted');
  said(`refused (exit ${copied}), no seat taken`);

  step('A person for the console, with a display name: the invite link sets a password and signs in');
  typed(`SEATLOCK_DATA_DIR=$W/data SEATLOCK_PUBLIC_URL=$S npx seatlock-admin users invite --email admin@demo.example --role admin --name "Demo Admin"`);
  const invited = spawnSync(process.execPath, [ADMIN_CLI, 'users', 'invite', '--email', 'admin@demo.example', '--role', 'admin', '--name', 'Demo Admin'], {
    cwd: ROOT,
    env: { ...process.env, SEATLOCK_DATA_DIR: dataDir, SEATLOCK_PUBLIC_URL: S },
    encoding: 'utf8',
  });
  must(invited.status === 0, `users invite: ${invited.stderr}`);
  const { link } = JSON.parse(invited.stdout);
  said(`link: ${link}`);

  process.stdout.write(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  process.stdout.write(`  Console:     ${S}/\n`);
  process.stdout.write(`  Sign in:     ${link}\n               (choose a password there, then sign in as admin@demo.example)\n`);
  process.stdout.write(`               or sign in at once as approver@demo.example, password ${APPROVER_PASSWORD}\n`);
  process.stdout.write(`  API docs:    ${S}/docs\n`);
  process.stdout.write(`  In a shell:  S=${S} T=${T} C=${customer.id} CODE=${CODE} W=${W}\n`);
  if (exitAtEnd) return stop(0);
  process.stdout.write('\nThe server keeps running; Ctrl-C stops it.\n');
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
}

function stop(code) {
  if (!server || server.exitCode !== null) process.exit(code);
  server.once('exit', () => process.exit(code));
  server.kill('SIGTERM');
}

main().catch((error) => {
  process.stderr.write(`\ndemo failed: ${error.message}\n`);
  stop(1);
});
