// Preload for end-to-end tests: `node --require test/support/fake-clock.cjs agent.js ...`.
// Sets the wall clock of the process to FAKE_CLOCK_NOW (an ISO date or epoch milliseconds); time
// then runs on from there. The device owner controls the clock, so the agent has no override of
// its own: tests move the clock the way an owner would, from outside.
'use strict';
const target = process.env.FAKE_CLOCK_NOW;
if (target) {
  const RealDate = Date;
  const at = /^\d+$/.test(target) ? Number(target) : RealDate.parse(target);
  if (!Number.isFinite(at)) throw new Error(`FAKE_CLOCK_NOW is not a date: ${target}`);
  const offset = at - RealDate.now();
  class FakeDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = FakeDate;
}
