// Timing two commands turn about, both started by bash: a process started from Node carries
// Node's own cost of starting it, most of a small native program's time. No vitest here, so the
// bench can use it too.

/**
 * A bash loop that runs `node` then `check` `runs` times, printing each one's start and end on a
 * line: timed by the shell that starts them, so both see the same machine and the same spawn cost.
 */
export function interleavedScript(runs: number, node: string, check: string): string {
  return `for i in $(seq ${runs}); do
    a=$EPOCHREALTIME; ${node} || exit 1; b=$EPOCHREALTIME; ${check} >/dev/null || exit 1; c=$EPOCHREALTIME
    echo "$a $b $c"
  done`;
}

/** The milliseconds of each run of {@link interleavedScript}'s two commands, from its output. */
export function interleavedTimes(stdout: string): { node: number[]; check: number[] } {
  const node: number[] = [];
  const check: number[] = [];
  for (const line of stdout.trim().split('\n')) {
    const [a, b, c] = line.split(' ').map(Number);
    node.push((b - a) * 1000);
    check.push((c - b) * 1000);
  }
  return { node, check };
}
