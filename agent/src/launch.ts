#!/usr/bin/env node
import { join } from 'node:path';
import { runWithCodeCache } from '@seatlock/shared';
import { agentHome } from './environment';

// The bundled command line (cli.ts), put here as a string by scripts/bundle.mjs.
declare const SEATLOCK_AGENT_CODE: string;

/**
 * The agent's bundle runs its command line with V8's compiled code kept in the agent's home
 * (`code-cache/`): the boot check reads its bytecode instead of compiling the bundle at every
 * boot. A temporary folder would not do, since many boards clear it at each boot. The home must
 * exist already (the first install makes it), so a run never creates it as a side effect.
 *
 * One cache per command, each written by that command's first run: the boot check's cache holds
 * the functions the boot check itself compiled, not those of an install before it.
 */
const command = process.argv[2];
runWithCodeCache({
  filename: __filename,
  source: SEATLOCK_AGENT_CODE,
  cacheDir: join(agentHome(process.env), 'code-cache'),
  name: `seatlock-agent-${command && /^[a-z-]{1,32}$/.test(command) ? command : 'other'}`,
  createParents: false,
});
