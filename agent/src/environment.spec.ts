import { describe, expect, it } from 'vitest';
import { agentEnvironment } from './environment';

describe('agent environment', () => {
  const env = { SEATLOCK_SYSROOT: '/mnt/board-a', SEATLOCK_HOME: '/data/seatlock', SEATLOCK_CONFIG: '/tmp/mine.json', SEATLOCK_TRUST_ROOT: '/tmp/my-root.pem' };

  it('a development build reads every variable', () => {
    expect(agentEnvironment(env, false)).toEqual({ sysroot: '/mnt/board-a', home: '/data/seatlock', configPath: '/tmp/mine.json', trustRootPath: '/tmp/my-root.pem' });
  });

  it('a release build reads the real root and honours the home only', () => {
    expect(agentEnvironment(env, true)).toEqual({ sysroot: '/', home: '/data/seatlock' });
    expect(agentEnvironment({}, true)).toEqual({ sysroot: '/', home: '/var/lib/seatlock' });
    expect(agentEnvironment({ SEATLOCK_WATCH_INTERVAL_MS: '1' }, true)).not.toHaveProperty('watchIntervalMs');
  });

  it('a development build takes the resident interval in whole milliseconds and refuses anything else', () => {
    expect(agentEnvironment({ SEATLOCK_WATCH_INTERVAL_MS: '20' }, false).watchIntervalMs).toBe(20);
    for (const junk of ['0', '-5', '1.5', 'soon']) {
      expect(() => agentEnvironment({ SEATLOCK_WATCH_INTERVAL_MS: junk }, false), junk).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
