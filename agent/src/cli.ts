#!/usr/bin/env node
import { run } from './command-line';

void run(process.argv.slice(2), process.env, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), terminal: process.stderr.isTTY === true }).then((code) => {
  process.exitCode = code;
});
