import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Read-only view of the device's file system under a root directory (`SEATLOCK_SYSROOT`), so
 * collectors run the same on a device and on a captured device tree. A file that is missing or
 * unreadable reads as undefined: boards differ, and an absent file is an absent component.
 *
 * @example new Sysroot('/').text('proc/cmdline')
 */
export class Sysroot {
  constructor(readonly root: string) {}

  /** Absolute path of a device path, e.g. `proc/cpuinfo` → `/sysroot/proc/cpuinfo`. */
  path(relative: string): string {
    return join(this.root, relative.replace(/^\/+/, ''));
  }

  /** The file's text, or undefined when it cannot be read. */
  text(relative: string): string | undefined {
    try {
      return readFileSync(this.path(relative), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** The file's first line trimmed, or undefined when unreadable or empty (sysfs values end in a newline). */
  value(relative: string): string | undefined {
    const line = this.text(relative)?.replace(/\0/g, '').split('\n', 1)[0].trim();
    return line ? line : undefined;
  }

  /** Entry names of a directory, sorted, or an empty list. */
  list(relative: string): string[] {
    try {
      return readdirSync(this.path(relative)).sort();
    } catch {
      return [];
    }
  }

  exists(relative: string): boolean {
    try {
      statSync(this.path(relative));
      return true;
    } catch {
      return false;
    }
  }

  /** The target of a symbolic link, or undefined when the path is not a link. */
  link(relative: string): string | undefined {
    try {
      return readlinkSync(this.path(relative));
    } catch {
      return undefined;
    }
  }
}
