import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must not reach unless private targets are allowed: loopback, "this network",
 * private ranges, shared address space, link-local (where cloud metadata services answer, as
 * 169.254.169.254 and fd00:ec2::254), multicast and reserved ranges.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  // IPv4 embedded in IPv6 (translation prefixes): judged by the IPv4 address below when mapped, refused otherwise.
  ['64:ff9b::', 96],
  ['2002::', 16],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IP literal) is one a webhook must not reach when private targets are not allowed. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? ipv4FromMappedHex(address);
  if (mapped) return BLOCKED.check(mapped, 'ipv4');
  return BLOCKED.check(address, 'ipv6');
}

/** `::ffff:7f00:1` (an IPv4-mapped address written in hex) as `127.0.0.1`. */
function ipv4FromMappedHex(address: string): string | undefined {
  const match = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!match) return undefined;
  const [high, low] = [parseInt(match[1], 16), parseInt(match[2], 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

export function forbiddenAddress(host: string, address: string): string {
  return `${host} is ${address === host ? '' : `at ${address}, `}a loopback, private or link-local address (set SEATLOCK_WEBHOOK_ALLOW_PRIVATE to allow it)`;
}

export class ForbiddenTargetError extends Error {
  override readonly name = 'ForbiddenTargetError';
}

/** The host of a URL as a resolver takes it: IPv6 literals without their brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * The addresses `host` resolves to, refused when any of them is private (unless allowed): a name
 * with one public and one private address could otherwise be steered to the private one.
 */
export async function allowedAddresses(host: string, allowPrivate: boolean, resolve: (host: string) => Promise<LookupAddress[]> = resolveAll): Promise<LookupAddress[]> {
  const family = isIP(host);
  const addresses = family !== 0 ? [{ address: host, family }] : await resolve(host);
  if (addresses.length === 0) throw new ForbiddenTargetError(`${host} resolves to no address`);
  if (!allowPrivate) {
    const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
    if (blocked) throw new ForbiddenTargetError(forbiddenAddress(host, blocked.address));
  }
  return addresses;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return lookup(host, { all: true, verbatim: true });
}
