import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentConfig, loadConfig, parseConfig } from './config';
import { agentEnvironment } from './environment';
import { AgentError } from './errors';
import { tempDir } from './spec-support';

const parse = (doc: unknown) => parseConfig(JSON.stringify(doc), 'config.json');

describe('agent config', () => {
  it('takes declared components with their weight and strength', () => {
    const config = parse({ components: [{ name: 'hisi.chip-id', file: '/run/chipid', weight: 4, strong: true }] });
    expect(config.components[0]).toMatchObject({ name: 'hisi.chip-id', file: '/run/chipid', spec: { weight: 4, strong: true } });
  });

  it.each(['emmc.cid', 'soc.serial', 'android.serial', 'android.id', 'net.mac.eth0'])('refuses to declare %s, a component the agent collects itself', (name) => {
    expect(() => parse({ components: [{ name, file: '/data/cid', weight: 4, strong: true }] })).toThrow(/collects itself/);
  });

  it.each([
    ['not an object', []],
    ['a bad name', { components: [{ name: 'Chip ID', file: 'x', weight: 1, strong: true }] }],
    ['no file', { components: [{ name: 'hisi.chip-id', weight: 1, strong: true }] }],
    ['a weight out of range', { components: [{ name: 'hisi.chip-id', file: 'x', weight: 11, strong: true }] }],
    ['no strong flag', { components: [{ name: 'hisi.chip-id', file: 'x', weight: 2 }] }],
    ['a name twice', { components: [{ name: 'hisi.chip-id', file: 'x', weight: 2, strong: true }, { name: 'hisi.chip-id', file: 'y', weight: 2, strong: true }] }],
  ])('refuses %s with CONFIG_INVALID', (_why, doc) => {
    expect(() => parse(doc)).toThrow(AgentError);
    expect(() => parse(doc)).toThrow(/Invalid agent config config.json/);
  });

  it('refuses a run-time config file that is missing or not JSON', () => {
    const path = join(tempDir(), 'config.json');
    expect(() => loadConfig(path)).toThrow(/Invalid agent config/);
    writeFileSync(path, '{ nope');
    expect(() => loadConfig(path)).toThrow(/not JSON/);
  });

  it('reads SEATLOCK_CONFIG in a development build only', () => {
    const path = join(tempDir(), 'config.json');
    writeFileSync(path, JSON.stringify({ components: [{ name: 'hisi.chip-id', file: '/run/chipid', weight: 4, strong: true }] }));
    const env = { SEATLOCK_CONFIG: path, SEATLOCK_HOME: tempDir() };
    expect(agentConfig(agentEnvironment(env, false)).components.map((c) => c.name)).toEqual(['hisi.chip-id']);
    expect(agentConfig(agentEnvironment(env, true)).components).toEqual([]);
  });

  it('never reads a config.json from the home', () => {
    const home = tempDir();
    writeFileSync(join(home, 'config.json'), JSON.stringify({ components: [{ name: 'hisi.chip-id', file: '/run/chipid', weight: 4, strong: true }] }));
    expect(agentConfig(agentEnvironment({ SEATLOCK_HOME: home }, false)).components).toEqual([]);
  });
});
