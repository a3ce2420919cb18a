import { writeSync } from 'node:fs';
import type { Output } from './command-line';

/**
 * The command line's output on this process's stdout and stderr, written straight to their file
 * descriptors. Node's `process.stdout` is a stream made on first use: 2 ms to /dev/null and 3 to
 * 6 ms to a pipe (it loads `net`), which would be a tenth of the boot check. Whether stderr is a
 * terminal is asked only by the commands that draw progress.
 */
export function processOutput(): Output {
  return {
    out: descriptorWriter(1, () => process.stdout),
    err: descriptorWriter(2, () => process.stderr),
    get terminal() {
      return process.stderr.isTTY === true;
    },
  };
}

/**
 * Writes `text` whole before returning. A reader that has gone away (EPIPE) loses the text and
 * nothing else: the exit code still carries the verdict. A descriptor the parent left
 * non-blocking whose reader is behind (EAGAIN) is handed, from there on, to Node's stream, which
 * waits for the reader and keeps the order.
 */
function descriptorWriter(fd: number, stream: () => NodeJS.WriteStream): (text: string) => void {
  let waiting: NodeJS.WriteStream | undefined;
  return (text) => {
    if (waiting) {
      waiting.write(text);
      return;
    }
    let rest = Buffer.from(text);
    try {
      while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      waiting = stream();
      waiting.write(rest);
    }
  };
}
