import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { subset } from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  optional?: boolean;
}

const rootManifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };

describe('npm ci', () => {
  it("installs no package whose engines exclude a Node version the project's engines accept (no EBADENGINE)", () => {
    const accepted = rootManifest.engines.node;
    const misfits = Object.entries(lock.packages)
      // npm skips an optional package whose engines do not fit, without a warning (better-sqlite3 13 on Node 20).
      .filter(([path, entry]) => path !== '' && !entry.optional)
      .flatMap(([path, entry]) => {
        const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return wanted === undefined || subset(accepted, wanted) ? [] : [`${path}@${entry.version}: node ${wanted}`];
      });
    expect(misfits, `engines ${accepted}`).toEqual([]);
  });
});
