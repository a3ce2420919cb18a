'use strict';
// Starts the processes a test worker asks for and answers with their exit and output, one JSON
// line each way (see launcher.ts): a spawn forks this small process, not the worker.
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');

const answer = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, command, args, env, cwd } = JSON.parse(line);
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = [];
  const stderr = [];
  child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  child.once('error', (error) => answer({ id, error: error.message }));
  child.once('close', (code, signal) => answer({ id, code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
});
