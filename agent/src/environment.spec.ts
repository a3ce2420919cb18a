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
  });
});
