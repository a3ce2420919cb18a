import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('SEATLOCK_TRUST_PROXY', () => {
  const trusted = (value?: string) => loadConfig(value === undefined ? {} : { SEATLOCK_TRUST_PROXY: value }).trustProxy;

  it('trusts no proxy when unset, empty or false', () => {
    expect(trusted()).toEqual([]);
    expect(trusted('')).toEqual([]);
    expect(trusted('false')).toEqual([]);
  });

  it('takes addresses and CIDRs, IPv4 and IPv6, comma-separated', () => {
    expect(trusted('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(trusted('10.0.0.0/8, 192.0.2.7,fd00::/8,::1')).toEqual(['10.0.0.0/8', '192.0.2.7', 'fd00::/8', '::1']);
  });

  it.each(['true', 'TRUE', '1', '2', 'yes', 'loopback', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/x', '127.0.0.1,', 'example.com'])('refuses %j', (value) => {
    expect(() => trusted(value)).toThrow(/^SEATLOCK_TRUST_PROXY must list the addresses or CIDRs of the proxies in front of the server/);
  });
});
