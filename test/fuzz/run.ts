import { parseArgs } from 'node:util';
import { fuzz, memoryReturned } from './http-fuzzer';

/** `npm run fuzz -- --count N --seed S`: a long run of the HTTP fuzzer; exits 1 when a rule broke. */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, seed: { type: 'string', default: String(Date.now() % 2 ** 31) } } });
  const count = Number(values.count);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
    console.error('usage: npm run fuzz -- [--count N] [--seed S]');
    return 2;
  }
  console.error(`fuzz: ${count} requests, seed ${seed}`);
  const report = await fuzz({ count, seed, onProgress: (sent, total) => console.error(`fuzz: ${sent} / ${total}`) });
  const memory = memoryReturned(report);
  console.log(JSON.stringify({ ...report, failures: report.failures.length, memoryReturned: memory }, null, 2));
  for (const failure of report.failures.slice(0, 50)) console.error(`FAIL ${failure}`);
  return report.failures.length === 0 && memory && report.auditOk ? 0 : 1;
}

void main().then((code) => (process.exitCode = code));
