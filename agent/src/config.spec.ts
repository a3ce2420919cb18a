import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from './config';
import { AgentError } from './errors';
import { tempDir } from './spec-support';

const parse = (doc: unknown) => parseConfig(JSON.stringify(doc), 'config.json');

describe('agent config', () => {
  it('takes known components from the registry and declared ones as given', () => {
    const config = parse({
      components: [
        { name: 'android.id', file: '/data/id', weight: 9, strong: true },
        { name: 'hisi.chip-id', file: '/run/chipid', weight: 4, strong: true },
      ],
    });
    expect(config.components[0].spec).toMatchObject({ weight: 1, strong: false });
    expect(config.components[1].spec).toMatchObject({ weight: 4, strong: true });
  });

  it.each([
    ['not an object', []],
    ['a bad name', { components: [{ name: 'Chip ID', file: 'x', weight: 1, strong: true }] }],
    ['no file', { components: [{ name: 'hisi.chip-id', weight: 1, strong: true }] }],
    ['a weight out of range', { components: [{ name: 'hisi.chip-id', file: 'x', weight: 11, strong: true }] }],
    ['no strong flag', { components: [{ name: 'hisi.chip-id', file: 'x', weight: 2 }] }],
  ])('refuses %s with CONFIG_INVALID', (_why, doc) => {
    expect(() => parse(doc)).toThrow(AgentError);
    expect(() => parse(doc)).toThrow(/Invalid agent config config.json/);
  });

  it('treats a missing default file as empty, a missing explicit file as an error', () => {
    const missing = join(tempDir(), 'config.json');
    expect(loadConfig(missing, false).components).toEqual([]);
    expect(() => loadConfig(missing, true)).toThrow(/Invalid agent config/);
    writeFileSync(missing, '{ nope');
    expect(() => loadConfig(missing, false)).toThrow(/not JSON/);
  });
});
