import { describe, expect, test } from 'vitest'
import { changeRules, generateInventory, generatePolicy } from '../../src/analyze/generate-policy.js'
import { netmap, type FilterMatch } from '../../src/analyze/netmap.js'
import { runTests } from '../../src/analyze/run-tests.js'
import type { InventoryNode } from '../../src/model/inventory.js'

/**
 * Differential test of the indexed test evaluator (`runTests`, built on global rules and a reachability
 * index) against a naive one that knows nothing but the packet filters `netmap` sends each device: an
 * assertion holds when every source address finds, in some destination device's filter, a match whose
 * protocols, source CIDRs, destination CIDR and port range all contain the packet. Policy M with 5% of
 * its rules changed, so some of its tests fail, on 1,000 devices where tags and users have several.
 */
describe('runTests agrees with a naive evaluator over netmap filters on policy M |', () => {
  test('every tag- or user-sourced assertion towards a tag gets the same verdict', () => {
    // GIVEN
    const policy = changeRules(generatePolicy('M', 11), 0.05, 3)
    const inventory = generateInventory(policy, 1_000, 11)
    const filters = netmap(policy, inventory).filters
    const emailOf = new Map(inventory.users.map((u) => [u.name, u.email]))
    const byIdentity = new Map<string, InventoryNode[]>()
    for (const node of inventory.nodes) {
      const identities = node.user === undefined ? node.tags : [emailOf.get(node.user) ?? '']
      for (const identity of identities) byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), node])
    }
    const devicesOf = (identity: string): InventoryNode[] => byIdentity.get(identity) ?? []
    // WHEN
    const results = runTests(policy, inventory)
    // THEN
    let compared = 0
    let failing = 0
    for (const result of results) {
      const [, index, key] = result.path
      const entry = result.dst ?? ''
      const testEntry = policy.tests?.[index as number]
      if (result.section !== 'tests' || !testEntry || (!result.src.startsWith('tag:') && !result.src.includes('@')) || !entry.startsWith('tag:')) continue
      const host = entry.slice(0, entry.lastIndexOf(':'))
      const port = Number(entry.slice(entry.lastIndexOf(':') + 1))
      const sources = devicesOf(result.src)
      const destinations = devicesOf(host)
      if (sources.length === 0 || destinations.length === 0) continue
      const protocols = testEntry.proto === 'tcp' ? [6] : testEntry.proto === 'udp' ? [17] : [6, 17]
      // IPv4 only: generated rules name tags, which cover both families alike
      const addresses = sources.map((s) => s.ipv4).filter((a): a is string => a !== undefined)
      const reached = addresses.map((address) => destinations.some((d) => allows(filters[d.name] ?? [], address, d.ipv4, port, protocols)))
      const naivePassed = key === 'deny' ? reached.every((r) => !r) : reached.every((r) => r)
      expect(result.passed, `${result.src} → ${entry} (${String(key)})`).toBe(naivePassed)
      compared++
      if (!naivePassed) failing++
    }
    expect(compared).toBeGreaterThan(5_000)
    expect(failing).toBeGreaterThan(0)
  })
})

function allows(matches: readonly FilterMatch[], src: string, dst: string | undefined, port: number, protocols: readonly number[]): boolean {
  if (dst === undefined) return false
  return matches.some(
    (m) =>
      m.proto.some((p) => protocols.includes(p)) &&
      m.src.some((cidr) => contains(cidr, src)) &&
      m.dst.some((d) => d.ports[0] <= port && port <= d.ports[1] && contains(d.net, dst)),
  )
}

const ranges = new Map<string, readonly [first: number, last: number] | null>()

// IPv4 CIDRs as number ranges; IPv6 ones never contain an IPv4 address
function contains(cidr: string, address: string): boolean {
  let range = ranges.get(cidr)
  if (range === undefined) {
    const [network = '', lengthText = '32'] = cidr.split('/')
    if (network.includes(':')) range = null
    else {
      const size = 2 ** (32 - Number(lengthText))
      const first = Math.floor(ipv4(network) / size) * size
      range = [first, first + size - 1]
    }
    ranges.set(cidr, range)
  }
  if (range === null) return false
  const value = ipv4(address)
  return range[0] <= value && value <= range[1]
}

function ipv4(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0)
}
