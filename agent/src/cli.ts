#!/usr/bin/env node
import { run } from './command-line';
import { processOutput } from './output';

void run(process.argv.slice(2), process.env, processOutput()).then((code) => {
  process.exitCode = code;
});
