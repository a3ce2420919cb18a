import { describe, expect, it } from 'vitest';
import { isSameOriginOrSafe } from './same-origin';

const own = { protocol: 'https', host: 'licenses.example.com' };

describe('isSameOriginOrSafe', () => {
  it('lets reads through and a POST from the own origin', () => {
    expect(isSameOriginOrSafe({ ...own, method: 'GET', headers: { origin: 'https://evil.example' } })).toBe(true);
    expect(isSameOriginOrSafe({ ...own, method: 'POST', headers: { origin: 'https://licenses.example.com' } })).toBe(true);
    expect(isSameOriginOrSafe({ ...own, method: 'DELETE', headers: { referer: 'https://licenses.example.com/console/pools' } })).toBe(true);
  });

  it('refuses a POST from another origin, scheme or port, one naming no origin, and a cross-site fetch', () => {
    expect(isSameOriginOrSafe({ ...own, method: 'POST', headers: { origin: 'https://evil.example' } })).toBe(false);
    expect(isSameOriginOrSafe({ ...own, method: 'POST', headers: { origin: 'http://licenses.example.com' } })).toBe(false);
    expect(isSameOriginOrSafe({ ...own, method: 'POST', headers: { origin: 'https://licenses.example.com:8443' } })).toBe(false);
    expect(isSameOriginOrSafe({ ...own, method: 'POST', headers: { origin: 'null' } })).toBe(false);
    expect(isSameOriginOrSafe({ ...own, method: 'POST', headers: {} })).toBe(false);
    expect(isSameOriginOrSafe({ ...own, method: 'POST', headers: { origin: 'https://licenses.example.com', 'sec-fetch-site': 'cross-site' } })).toBe(false);
  });
});
