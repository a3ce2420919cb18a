import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take 30 s or more of a whole-suite run on a two-core machine, longest first
 * (2026-12-03). On a fresh clone vitest knows no durations and starts the largest files first; a
 * long file that happens to be small (a language's console run is three lines) would then start
 * late, and the suite would end waiting on it alone.
 */
const LONG_FILES = [
  'test/native/generated-inputs.test.ts',
  'test/native/generated-store.test.ts',
  'test/console/console.en.test.ts',
  'test/console/console.zh-CN.test.ts',
  'test/server/crash.test.ts',
  'test/bench/bench-smoke.test.ts',
  'test/server/keys-cli.test.ts',
  'agent/src/generated-input.spec.ts',
  'test/server/audit.test.ts',
  'test/server/reminders.test.ts',
  'test/server/outbox-crash.test.ts',
  'test/server/keys.test.ts',
  'test/agent/trial-running-time.test.ts',
  'test/agent/revocations.test.ts',
  'test/server/sessions.test.ts',
  'test/server/audit-checkpoints.test.ts',
  'test/console/overview-page.test.ts',
  'test/server/webhooks.test.ts',
];

/** vitest's order (failed, then longest, as far as it knows), with {@link LONG_FILES} moved to the front. */
export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONG_FILES.findIndex((long) => file.moduleId.endsWith(long));
      return at === -1 ? LONG_FILES.length : at;
    };
    // Array.prototype.sort is stable: files of one rank keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
