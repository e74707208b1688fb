/**
 * Tailscale addresses nobody uses, for devices tailor invents (a synthetic tailnet, a test's
 * representative device). An invented device must not land inside a range a rule opens by address,
 * so every address and subnet the policy names is skipped, as are the inventory's own addresses.
 *
 * API: `addressAllocator(aliases, inventory?) → () => { ipv4, ipv6 }`, deterministic: the same
 * policy and inventory give the same sequence.
 */
import type { Inventory } from '../model/inventory.js'
import { IpSet } from './ip-set.js'
import { formatIp, parseIpPrefix, type Alias } from './parse/index.js'

const v4Block = parseIpPrefix('100.64.0.0/10')!
const v6Block = parseIpPrefix('fd7a:115c:a1e0::/48')!
/** Tailscale's own: the ChromeOS guest range and the quad-100 service block */
const reserved = IpSet.unionAll(['100.115.92.0/23', '100.100.100.0/24'].map((c) => IpSet.parse(c)!))

export function addressAllocator(aliases: readonly Alias[], inventory?: Inventory): () => { ipv4: string; ipv6: string } {
  const taken = IpSet.unionAll([mentioned(aliases), reserved, ...(inventory?.nodes ?? []).flatMap((n) => [n.ipv4, n.ipv6].flatMap((a) => (a ? [IpSet.parse(a.trim()) ?? IpSet.empty] : [])))])
  let v4 = v4Block.first
  let v6 = v6Block.first
  return () => {
    do v4++
    while (taken.containsAddress(4, v4) && v4 < v4Block.last)
    do v6++
    while (taken.containsAddress(6, v6) && v6 < v6Block.last)
    return { ipv4: formatIp(4, v4), ipv6: formatIp(6, v6) }
  }
}

/** Addresses the policy names by value; a range as wide as Tailscale's whole block is no reservation. */
function mentioned(aliases: readonly Alias[]): IpSet {
  return IpSet.of(
    aliases.flatMap((a) => {
      if (a.kind === 'prefix') return a.prefix.bits > (a.prefix.family === 4 ? 10 : 48) ? [a.prefix] : []
      if (a.kind === 'ip-range') return [a.range]
      return []
    }),
  )
}
