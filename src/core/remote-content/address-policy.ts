import { BlockList, isIP } from 'node:net'

/**
 * Addresses a message's remote content may never make core connect to: this machine (loopback), link-local
 * networks (cloud metadata endpoints such as 169.254.169.254 live there), "this network", multicast and
 * broadcast. Private LAN ranges stay allowed: company mail legitimately shows pictures from intranet servers,
 * and Outlook loads those too.
 */
const refused = new BlockList()
refused.addSubnet('0.0.0.0', 8, 'ipv4')
refused.addSubnet('127.0.0.0', 8, 'ipv4')
refused.addSubnet('169.254.0.0', 16, 'ipv4')
refused.addSubnet('224.0.0.0', 4, 'ipv4')
refused.addSubnet('240.0.0.0', 4, 'ipv4')
refused.addAddress('::', 'ipv6')
refused.addAddress('::1', 'ipv6')
refused.addSubnet('fe80::', 10, 'ipv6')
refused.addSubnet('ff00::', 8, 'ipv6')

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i

export function isRefusedAddress(address: string): boolean {
  const mapped = MAPPED_V4.exec(address)
  if (mapped) return isRefusedAddress(mapped[1]!)
  const family = isIP(address)
  if (family === 0) return true
  return refused.check(address, family === 4 ? 'ipv4' : 'ipv6')
}
