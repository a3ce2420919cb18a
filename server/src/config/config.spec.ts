import { describe, expect, it } from 'vitest';
import { inviteLink, loadConfig } from './config';

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

describe('LOG_FORMAT', () => {
  it('is plain text when stderr is a terminal and JSON otherwise, unless set', () => {
    expect(loadConfig({}, true).logFormat).toBe('text');
    expect(loadConfig({}, false).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'text' }, false).logFormat).toBe('text');
    expect(() => loadConfig({ LOG_FORMAT: 'pretty' })).toThrow(/^LOG_FORMAT must be one of json, text; got "pretty"\.$/);
  });
});

describe('invite links', () => {
  it('start with SEATLOCK_PUBLIC_URL, else this machine at PORT', () => {
    expect(inviteLink(loadConfig({ SEATLOCK_PUBLIC_URL: 'https://licenses.example.com/' }), 'slinv_a+b')).toBe('https://licenses.example.com/accept-invite?invite=slinv_a%2Bb');
    expect(inviteLink(loadConfig({ PORT: '9000' }), 'slinv_x')).toBe('http://localhost:9000/accept-invite?invite=slinv_x');
    expect(inviteLink(loadConfig({ PORT: '9000', HOST: '::1' }), 'slinv_x')).toBe('http://[::1]:9000/accept-invite?invite=slinv_x');
    expect(() => loadConfig({ SEATLOCK_PUBLIC_URL: 'licenses.example.com' })).toThrow(/^SEATLOCK_PUBLIC_URL must be an http or https URL/);
  });
});
