import { readFileSync } from 'node:fs';

/** The kernel's clock ticks per second, in which /proc gives CPU time (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function statCpu(path: string): number {
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds a process has used (user and system), from /proc; 0 for one that has ended. */
export function processCpu(pid: number): number {
  try {
    return statCpu(`/proc/${pid}/stat`);
  } catch {
    return 0; // a backend that ended since it was listed
  }
}

/** CPU seconds of a process and of its main thread (the event loop, for Node); the rest is its other threads'. */
export function processThreadsCpu(pid: number): { all: number; main: number } {
  return { all: statCpu(`/proc/${pid}/stat`), main: statCpu(`/proc/${pid}/task/${pid}/stat`) };
}

/** CPU seconds the machine's cores have been busy (all but idle and waiting for I/O). */
export function machineCpu(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + ticks[4];
  return (ticks.reduce((sum, t) => sum + t, 0) - idle) / TICKS_PER_SECOND;
}
