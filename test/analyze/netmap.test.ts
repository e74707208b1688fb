import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { Grant, TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import type { Inventory, InventoryNode } from '../../src/model/inventory.js'
import { IpSet } from '../../src/analyze/ip-set.js'
import { netmap, type FilterMatch } from '../../src/analyze/netmap.js'

// alice owns two laptops, bob one; a tagged web server; a router with an approved subnet; an exit node
const inventory: Inventory = {
  tailnet: 'example.com',
  users: [
    { id: 1, name: 'alice', email: 'alice@example.com' },
    { id: 2, name: 'bob', email: 'bob@example.com' },
  ],
  nodes: [
    { name: 'alice-1', user: 'alice', tags: [], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
    { name: 'alice-2', user: 'alice', tags: [], ipv4: '100.64.0.2', ipv6: 'fd7a:115c:a1e0::2' },
    { name: 'bob-1', user: 'bob', tags: [], ipv4: '100.64.0.3', ipv6: 'fd7a:115c:a1e0::3' },
    { name: 'web', tags: ['tag:web'], ipv4: '100.64.0.10', ipv6: 'fd7a:115c:a1e0::a' },
    { name: 'router', tags: ['tag:router'], ipv4: '100.64.0.20', ipv6: 'fd7a:115c:a1e0::14', routable_ips: ['10.33.0.0/16'], approved_routes: ['10.33.0.0/16'] },
    { name: 'exit', tags: ['tag:exit'], ipv4: '100.64.0.30', ipv6: 'fd7a:115c:a1e0::1e', routable_ips: ['0.0.0.0/0', '::/0'], approved_routes: ['0.0.0.0/0', '::/0'] },
  ],
}

const base: TailnetPolicy = {
  groups: { 'group:eng': ['alice@example.com'] },
  tagOwners: { 'tag:web': [], 'tag:router': [], 'tag:exit': [] },
  hosts: { lan: '10.0.0.0/8', 'bob-box': '100.64.0.3' },
}
const filtersOf = (extra: TailnetPolicy): Record<string, FilterMatch[]> => netmap({ ...base, ...extra }, inventory).filters

/** does `filter` let `src` reach `dst` on `proto`/`port`? (what the device's packet filter decides) */
function allows(filter: readonly FilterMatch[], src: string, dst: string, proto: number, port: number): boolean {
  const s = IpSet.parse(src)!
  const d = IpSet.parse(dst)!
  return filter.some(
    (m) =>
      m.proto.includes(proto) &&
      m.src.some((c) => IpSet.parse(c)!.covers(s)) &&
      m.dst.some((e) => IpSet.parse(e.net)!.covers(d) && e.ports[0] <= port && port <= e.ports[1]),
  )
}

describe('netmap: per-device packet filters', () => {
  test('a rule lands only on the devices it reaches, each with its own addresses', () => {
    // GIVEN
    const filters = filtersOf({ grants: [{ src: ['group:eng'], dst: ['tag:web'], ip: ['tcp:443'] }] })
    // THEN
    expect(filters['web']).toEqual([
      {
        proto: [6],
        src: ['100.64.0.1/32', '100.64.0.2/32', 'fd7a:115c:a1e0::1/128', 'fd7a:115c:a1e0::2/128'],
        dst: [
          { net: '100.64.0.10/32', ports: [443, 443] },
          { net: 'fd7a:115c:a1e0::a/128', ports: [443, 443] },
        ],
      },
    ])
    for (const other of ['alice-1', 'alice-2', 'bob-1', 'router', 'exit']) expect(filters[other]).toEqual([])
  })

  test.each([
    // [what, rule, device, src, dst, proto, port, allowed]
    ['an ACL without proto allows TCP, UDP and ICMP', { acls: [{ action: 'accept', src: ['bob@example.com'], dst: ['tag:web:80'] }] }, 'web', '100.64.0.3', '100.64.0.10', 1, 80, true],
    ['an ACL with proto allows only that protocol', { acls: [{ action: 'accept', src: ['bob@example.com'], dst: ['tag:web:80'], proto: 'tcp' }] }, 'web', '100.64.0.3', '100.64.0.10', 17, 80, false],
    ['ports outside the rule are closed', { grants: [{ src: ['bob@example.com'], dst: ['tag:web'], ip: ['tcp:80-90'] }] }, 'web', '100.64.0.3', '100.64.0.10', 6, 91, false],
    ['a tagged device is not its creator: no user rule reaches it', { grants: [{ src: ['*'], dst: ['autogroup:member'], ip: ['*'] }] }, 'web', '100.64.0.3', '100.64.0.10', 6, 22, false],
    ['`*` to a subnet lands on its router, whole', { grants: [{ src: ['*'], dst: ['lan'], ip: ['tcp:22'] }] }, 'router', '100.64.0.3', '10.33.1.1', 6, 22, true],
    ['an address source is literal: the owner’s IPv6 is not admitted', { grants: [{ src: ['bob-box'], dst: ['tag:web'], ip: ['*'] }] }, 'web', 'fd7a:115c:a1e0::3', 'fd7a:115c:a1e0::a', 6, 22, false],
    ['autogroup:self lets a user reach their own other device', { acls: [{ action: 'accept', src: ['autogroup:member'], dst: ['autogroup:self:*'] }] }, 'alice-2', '100.64.0.1', '100.64.0.2', 6, 22, true],
    ['autogroup:self does not let a user reach another user', { acls: [{ action: 'accept', src: ['autogroup:member'], dst: ['autogroup:self:*'] }] }, 'bob-1', '100.64.0.1', '100.64.0.3', 6, 22, false],
    ['autogroup:internet lands on the approved exit node', { grants: [{ src: ['autogroup:member'], dst: ['autogroup:internet'], ip: ['*'] }] }, 'exit', '100.64.0.1', '8.8.8.8', 6, 443, true],
    ['autogroup:internet excludes private space', { grants: [{ src: ['autogroup:member'], dst: ['autogroup:internet'], ip: ['*'] }] }, 'exit', '100.64.0.1', '192.168.1.1', 6, 443, false],
    ['a via grant lands only on routers with the via tag', { grants: [{ src: ['autogroup:member'], dst: ['10.33.0.0/16'], ip: ['*'], via: ['tag:web'] }] }, 'router', '100.64.0.1', '10.33.0.1', 6, 22, false],
    ['a policy with neither acls nor grants allows everything', {}, 'web', '100.64.0.3', '100.64.0.10', 6, 22, true],
    ['an empty grants list allows nothing', { grants: [] }, 'web', '100.64.0.3', '100.64.0.10', 6, 22, false],
  ] as const)('%s', (_, rules, device, src, dst, proto, port, expected) => {
    // WHEN
    const filters = filtersOf(rules as TailnetPolicy)
    // THEN
    expect(allows(filters[device] ?? [], src, dst, proto, port)).toBe(expected)
  })

  test('`*` as a source admits approved subnet routes and every Tailscale address, but no exit route', () => {
    // WHEN
    const filter = filtersOf({ grants: [{ src: ['*'], dst: ['tag:web'], ip: ['*'] }] })['web'] ?? []
    // THEN
    expect(allows(filter, '10.33.5.5', '100.64.0.10', 6, 22)).toBe(true)
    expect(allows(filter, '100.100.1.1', '100.64.0.10', 6, 22)).toBe(true)
    expect(allows(filter, '8.8.8.8', '100.64.0.10', 6, 22)).toBe(false)
  })

  test('an exit node carries the internet only of the families it has an approved default route for', () => {
    // GIVEN: an IPv6-only exit node
    const v6exit: Inventory = {
      ...inventory,
      nodes: [...inventory.nodes.filter((n) => n.name !== 'exit'), { name: 'exit', tags: ['tag:exit'], ipv4: '100.64.0.30', ipv6: 'fd7a:115c:a1e0::1e', routable_ips: ['0.0.0.0/0', '::/0'], approved_routes: ['::/0'] }],
    }
    // WHEN
    const filter = netmap({ ...base, grants: [{ src: ['autogroup:member'], dst: ['autogroup:internet'], ip: ['*'] }] }, v6exit).filters['exit'] ?? []
    // THEN
    expect(allows(filter, 'fd7a:115c:a1e0::1', '2606:4700::1111', 6, 443)).toBe(true)
    expect(allows(filter, '100.64.0.1', '1.1.1.1', 6, 443)).toBe(false)
  })

  test('app capabilities name the device’s own addresses, and drive grants the reverse companion', () => {
    // WHEN
    const filter = filtersOf({ grants: [{ src: ['bob@example.com'], dst: ['tag:web'], app: { 'tailscale.com/cap/drive': [{ shares: ['*'] }] } }] })
    // THEN: web may be used by bob's device for drive, and bob's device accepts web as a sharer
    expect(filter['web']?.[0]?.caps).toEqual([
      { Dst: '100.64.0.10/32', Cap: 'tailscale.com/cap/drive', Values: [{ shares: ['*'] }] },
      { Dst: 'fd7a:115c:a1e0::a/128', Cap: 'tailscale.com/cap/drive', Values: [{ shares: ['*'] }] },
    ])
    expect(filter['bob-1']?.[0]?.src).toEqual(['100.64.0.10/32', 'fd7a:115c:a1e0::a/128'])
    expect(filter['bob-1']?.[0]?.caps?.map((c) => c.Cap)).toEqual(['tailscale.com/cap/drive-sharer', 'tailscale.com/cap/drive-sharer'])
  })

  test('the same policy and inventory always give the same bytes', () => {
    // GIVEN
    const policy: TailnetPolicy = { ...base, grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }], acls: [{ action: 'accept', src: ['group:eng'], dst: ['autogroup:self:*'] }] }
    // THEN
    expect(JSON.stringify(netmap(policy, inventory))).toEqual(JSON.stringify(netmap(structuredClone(policy), structuredClone(inventory))))
  })
})

// ---------- the fast filter against a naive reading of the grants ----------

const sources = ['*', 'alice@example.com', 'bob@example.com', 'group:eng', 'tag:web', 'tag:router', 'autogroup:member', 'autogroup:tagged', '100.64.0.3', 'bob-box', 'lan']
const destinations = ['*', 'alice@example.com', 'group:eng', 'tag:web', 'tag:exit', 'autogroup:member', 'autogroup:tagged', 'autogroup:self', 'autogroup:internet', '100.64.0.10', 'bob-box', 'lan', '10.33.0.0/24', '8.8.8.0/24']
const ipEntries = ['*', 'tcp:22', '80-90', 'udp:53', 'icmp:*', '443']
const probePorts = [1, 22, 53, 80, 85, 90, 91, 443]
const probeProtocols = [6, 17, 1, 58]

/**
 * One address a probe starts from or goes to: a device's own address, or an address behind it
 * (`behind`: a host on the router's subnet, or a public host through the exit node), whose traffic
 * the device's filter decides.
 */
interface Endpoint {
  readonly node: InventoryNode
  readonly address: string
  readonly behind?: 'subnet' | 'internet'
}
const router = inventory.nodes.find((n) => n.name === 'router')!
const exitNode = inventory.nodes.find((n) => n.name === 'exit')!
const endpoints: Endpoint[] = [
  ...inventory.nodes.flatMap((node) => [
    { node, address: node.ipv4! },
    { node, address: node.ipv6! },
  ]),
  { node: router, address: '10.33.0.5', behind: 'subnet' },
  { node: router, address: '10.33.1.9', behind: 'subnet' },
  { node: exitNode, address: '8.8.8.8', behind: 'internet' },
  { node: exitNode, address: '1.1.1.1', behind: 'internet' },
]

const inCidr = (cidr: string, address: string): boolean => IpSet.parse(cidr)!.covers(IpSet.parse(address)!)

/** the policy's meaning, read from the grants directly: no resolution, no filters */
function naiveMember(selector: string, e: Endpoint, side: 'src' | 'dst'): boolean {
  const literal = base.hosts?.[selector] ?? selector
  if (e.behind !== undefined) {
    // an address behind a device is no identity: only `*` (subnets as sources, anything as a
    // destination), autogroup:internet (public hosts) and literal addresses name it
    if (selector === '*') return side === 'dst' || e.behind === 'subnet'
    if (selector === 'autogroup:internet') return e.behind === 'internet'
    return IpSet.parse(literal) !== undefined && inCidr(literal, e.address)
  }
  const owner = inventory.users.find((u) => u.name === e.node.user)
  const tagged = e.node.tags.length > 0
  if (selector === '*') return true
  if (selector === 'autogroup:internet') return false
  if (selector === 'autogroup:member') return !tagged
  if (selector === 'autogroup:tagged') return tagged
  if (selector.startsWith('tag:')) return e.node.tags.includes(selector)
  if (selector.startsWith('group:')) return !tagged && (base.groups?.[selector] ?? []).includes(owner?.email ?? '')
  if (selector.includes('@')) return !tagged && owner?.email === selector
  return inCidr(literal, e.address)
}

function naiveAllows(grants: readonly Grant[], src: Endpoint, dst: Endpoint, proto: number, port: number): boolean {
  return grants.some((g) => {
    if (!g.src.some((s) => naiveMember(s, src, 'src'))) return false
    const reaches = g.dst.some((d) =>
      d === 'autogroup:self'
        ? src.behind === undefined && dst.behind === undefined && src.node.tags.length === 0 && dst.node.tags.length === 0 && src.node.user === dst.node.user
        : naiveMember(d, dst, 'dst'),
    )
    if (!reaches) return false
    return (g.ip ?? []).some((entry) => {
      const [protoText, portText] = entry.includes(':') ? entry.split(':') : [undefined, entry]
      const protos = protoText === undefined ? [6, 17, 1, 58] : [{ tcp: 6, udp: 17, icmp: 1 }[protoText as 'tcp' | 'udp' | 'icmp']]
      if (!protos.includes(proto)) return false
      if (portText === '*') return true
      const [lo, hi] = portText!.split('-').map(Number)
      return lo! <= port && port <= (hi ?? lo!)
    })
  })
}

const grantArb: fc.Arbitrary<Grant> = fc.record({
  src: fc.subarray(sources, { minLength: 1, maxLength: 3 }),
  dst: fc.subarray(destinations, { minLength: 1, maxLength: 2 }),
  ip: fc.subarray(ipEntries, { minLength: 1, maxLength: 2 }),
})

describe('netmap agrees with a naive reading of the grants', () => {
  test('every (source address, destination address, protocol, port) is allowed by the destination’s filter exactly when a grant allows it', () => {
    fc.assert(
      fc.property(fc.array(grantArb, { minLength: 1, maxLength: 4 }), (grants) => {
        // grants with autogroup:self take only identity sources, as validation requires
        const valid = grants.filter((g) => !g.dst.includes('autogroup:self') || g.src.every((s) => s.includes('@') || s.startsWith('group:') || s === 'autogroup:member'))
        fc.pre(valid.length > 0)
        const filters = netmap({ ...base, grants: valid }, inventory).filters
        for (const src of endpoints) {
          for (const dst of endpoints) {
            if (src.address.includes(':') !== dst.address.includes(':')) continue
            for (const proto of probeProtocols) {
              for (const port of probePorts) {
                const expected = naiveAllows(valid, src, dst, proto, port)
                const actual = allows(filters[dst.node.name] ?? [], src.address, dst.address, proto, port)
                if (expected !== actual) {
                  throw new Error(`${src.address} → ${dst.address} proto ${proto} port ${port}: naive ${expected}, filter ${actual}`)
                }
              }
            }
          }
        }
      }),
      { numRuns: 60 },
    )
  })
})
