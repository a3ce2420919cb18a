import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { allowedAddresses, ForbiddenTargetError, isPrivateAddress } from './address-check';

/** Checks of addresses only: nothing here is ever sent to. */
describe('webhook address check', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '0.0.0.0',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd00:ec2::254',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:7f00:1',
    '::ffff:a00:1',
    '64:ff9b::a00:1',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '172.15.255.255', '172.32.0.1', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34', '2001:4860:4860::8888'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses anything that is not an address', () => {
    expect(isPrivateAddress('example.com')).toBe(true);
  });

  /** DNS answers as a resolver would give them, without asking one. */
  const resolving =
    (...addresses: string[]) =>
    async (): Promise<LookupAddress[]> =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name when any address it resolves to is private (a public one beside it does not help)', async () => {
    await expect(allowedAddresses('hooks.example.com', false, resolving('93.184.216.34', '10.0.0.7'))).rejects.toThrow(ForbiddenTargetError);
    await expect(allowedAddresses('metadata.example.com', false, resolving('169.254.169.254'))).rejects.toThrow(/169\.254\.169\.254/);
    await expect(allowedAddresses('v6.example.com', false, resolving('2606:2800:220:1::1', 'fd12::1'))).rejects.toThrow(ForbiddenTargetError);
    await expect(allowedAddresses('empty.example.com', false, resolving())).rejects.toThrow(/no address/);
  });

  it('allows a name resolving to public addresses only, and private ones when the setting allows them', async () => {
    await expect(allowedAddresses('hooks.example.com', false, resolving('93.184.216.34', '2606:2800:220:1::1'))).resolves.toHaveLength(2);
    await expect(allowedAddresses('intranet.example.com', true, resolving('192.168.10.5'))).resolves.toHaveLength(1);
  });

  it('checks IP literals without a lookup', async () => {
    const never = async (): Promise<LookupAddress[]> => {
      throw new Error('no lookup for a literal');
    };
    await expect(allowedAddresses('127.0.0.1', false, never)).rejects.toThrow(ForbiddenTargetError);
    await expect(allowedAddresses('::1', false, never)).rejects.toThrow(ForbiddenTargetError);
    await expect(allowedAddresses('93.184.216.34', false, never)).resolves.toHaveLength(1);
  });
});
