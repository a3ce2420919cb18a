#!/usr/bin/env node
// Prints the gzip size of the built JavaScript and fails the build above the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 350;
const assets = fileURLToPath(new URL('../dist/assets', import.meta.url));
const sizes = readdirSync(assets).map((name) => {
  const body = readFileSync(join(assets, name));
  return { name, bytes: body.length, gzip: gzipSync(body).length };
});
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
for (const file of sizes) console.log(`console: ${file.name} ${kb(file.bytes)} (${kb(file.gzip)} gzip)`);
const js = sizes.filter((file) => file.name.endsWith('.js')).reduce((sum, file) => sum + file.gzip, 0);
console.log(`console: JavaScript ${kb(js)} gzip (budget ${BUDGET_KB} KB)`);
if (js > BUDGET_KB * 1024) {
  console.error(`console: the JavaScript is over the ${BUDGET_KB} KB gzip budget`);
  process.exit(1);
}
