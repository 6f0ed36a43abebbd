// Who is asking: the peer address, or the X-Forwarded-For hop that the trusted proxies vouch for.

import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * X-Forwarded-For is read right to left and only through peers that `trust` accepts, so a
 * client cannot claim another address by sending the header itself.
 */
export function clientAddress(req: IncomingMessage, trust: (addr: string, hop: number) => boolean): string {
  return proxyAddr(req, trust);
}

export function inCidrs(address: string, cidrs: readonly Cidr[]): boolean {
  if (cidrs.length === 0 || !ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  for (const [range, bits] of cidrs) {
    if (parsed.kind() === range.kind() && parsed.match(range, bits)) return true;
  }
  return false;
}
