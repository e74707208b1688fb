import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { AclRule, Grant, PolicyTest, TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import type { Inventory, InventoryNode } from '../../src/model/inventory.js'
import { runTests } from '../../src/analyze/run-tests.js'

// A fixed small tailnet: three users (one with two devices) and three tagged devices.
const inventory: Inventory = {
  tailnet: 'example.com',
  users: ['ann', 'ben', 'cat'].map((name, i) => ({ id: i + 1, name, email: `${name}@example.com` })),
  nodes: [
    node('ann-1', 1, 'ann'),
    node('ann-2', 2, 'ann'),
    node('ben-1', 3, 'ben'),
    node('cat-1', 4, 'cat'),
    node('web-1', 5, undefined, ['tag:web']),
    node('db-1', 6, undefined, ['tag:db']),
    node('both', 7, undefined, ['tag:web', 'tag:db']),
  ],
}

function node(name: string, n: number, user: string | undefined, tags: string[] = []): InventoryNode {
  return { name, ...(user ? { user } : {}), tags, ipv4: `100.64.0.${n}`, ipv6: `fd7a:115c:a1e0::${n}` }
}

const groups = { 'group:ab': ['ann@example.com', 'ben@example.com'] }
const logins = inventory.users.map((u) => u.email)
const srcSelectors = ['*', 'autogroup:member', 'group:ab', 'tag:web', 'tag:db', ...logins, '100.64.0.3', 'fd7a:115c:a1e0::5']
const dstSelectors = ['*', 'autogroup:self', 'tag:web', 'tag:db', ...logins, '100.64.0.6', 'fd7a:115c:a1e0::1']
const ports = [22, 80, 443]

const acl = fc.record({
  src: fc.subarray(srcSelectors, { minLength: 1, maxLength: 2 }),
  dst: fc.subarray(dstSelectors, { minLength: 1, maxLength: 2 }),
  port: fc.constantFrom('22', '80', '443', '*', '20-90'),
  proto: fc.constantFrom(undefined, 'tcp', 'udp'),
})
const grant = fc.record({
  src: fc.subarray(srcSelectors, { minLength: 1, maxLength: 2 }),
  dst: fc.subarray(dstSelectors.filter((d) => d !== 'autogroup:self'), { minLength: 1, maxLength: 2 }),
  ip: fc.subarray(['tcp:22', 'tcp:443', 'udp:80', '*', '80-443'], { minLength: 1, maxLength: 2 }),
})
// test ends a device can be named by; groups are played by a representative and are left out here
const testSrc = fc.constantFrom(...logins, 'tag:web', 'tag:db', '100.64.0.3', '100.64.0.7')
const testDst = fc.tuple(fc.constantFrom(...logins, 'tag:web', 'tag:db', '100.64.0.6', '100.64.0.1'), fc.constantFrom(...ports))
const policyTest = fc.record({ src: testSrc, proto: fc.constantFrom(undefined, 'tcp', 'udp'), accept: fc.array(testDst, { maxLength: 2 }), deny: fc.array(testDst, { maxLength: 2 }) })

describe('runTests agrees with a naive reference evaluator', () => {
  test('on random small policies', () => {
    fc.assert(
      fc.property(fc.array(acl, { maxLength: 3 }), fc.array(grant, { maxLength: 3 }), fc.array(policyTest, { minLength: 1, maxLength: 3 }), (acls, grants, tests) => {
        // GIVEN
        const policy: TailnetPolicy = {
          groups,
          tagOwners: { 'tag:web': [], 'tag:db': [] },
          acls: acls.map((a): AclRule => ({ action: 'accept', src: a.src, dst: a.dst.map((d) => `${d.includes(':') && !d.startsWith('tag:') && !d.startsWith('autogroup:') ? `[${d}]` : d}:${a.port}`), ...(a.proto ? { proto: a.proto } : {}) })),
          grants: grants.map((g): Grant => ({ src: g.src, dst: g.dst, ip: g.ip })),
          tests: tests.map((t): PolicyTest => ({
            src: t.src,
            ...(t.proto ? { proto: t.proto } : {}),
            ...(t.accept.length > 0 ? { accept: t.accept.map(([h, p]) => `${h}:${p}`) } : {}),
            ...(t.deny.length > 0 ? { deny: t.deny.map(([h, p]) => `${h}:${p}`) } : {}),
          })),
        }
        // WHEN
        const got = runTests(policy, inventory).map((r) => r.passed)
        // THEN
        const want = tests.flatMap((t) => [
          ...(t.accept.length === 0 && t.deny.length === 0 ? [false] : []),
          ...t.accept.map(([h, p]) => reference(policy, t.src, h, p, t.proto) === 'all'),
          ...t.deny.map(([h, p]) => reference(policy, t.src, h, p, t.proto) === 'none'),
        ])
        expect(got).toEqual(want)
      }),
      { numRuns: 300 },
    )
  })
})

// ---------- the reference: every (source address, destination address) pair against every rule, from the selectors' words ----------

interface Addr {
  readonly node: InventoryNode | undefined
  readonly ip: string
  readonly v6: boolean
}

function addressesOfEnd(end: string): Addr[] {
  if (/^[0-9.]+$/.test(end)) return [{ node: inventory.nodes.find((n) => n.ipv4 === end), ip: end, v6: false }]
  return inventory.nodes
    .filter((n) => (end.startsWith('tag:') ? n.tags.includes(end) : n.tags.length === 0 && `${n.user}@example.com` === end))
    .flatMap((n) => [
      { node: n, ip: n.ipv4!, v6: false },
      { node: n, ip: n.ipv6!, v6: true },
    ])
}

function selects(selector: string, a: Addr, other: Addr | undefined): boolean {
  const n = a.node
  if (selector === '*') return true
  if (selector === 'autogroup:member') return n !== undefined && n.tags.length === 0
  if (selector === 'autogroup:self') return n !== undefined && n.tags.length === 0 && other?.node !== undefined && other.node.tags.length === 0 && other.node.user === n.user
  if (selector === 'group:ab') return n !== undefined && n.tags.length === 0 && (n.user === 'ann' || n.user === 'ben')
  if (selector.startsWith('tag:')) return n !== undefined && n.tags.includes(selector)
  if (selector.includes('@')) return n !== undefined && n.tags.length === 0 && `${n.user}@example.com` === selector
  return a.ip === selector
}

function portOk(spec: string, port: number): boolean {
  if (spec === '*') return true
  const [a, b] = spec.split('-').map(Number)
  return b === undefined ? port === a : a! <= port && port <= b
}

function reference(policy: TailnetPolicy, src: string, dst: string, port: number, proto: string | undefined): 'all' | 'some' | 'none' {
  const wanted = proto ? [proto] : ['tcp', 'udp']
  const allows = (s: Addr, d: Addr): boolean => {
    for (const rule of policy.acls ?? []) {
      const protos = rule.proto ? [rule.proto] : ['tcp', 'udp', 'icmp']
      if (!protos.some((p) => wanted.includes(p))) continue
      if (!(rule.src ?? []).some((sel) => selects(sel, s, undefined))) continue
      for (const entry of rule.dst ?? []) {
        const colon = entry.lastIndexOf(':')
        const host = entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1')
        if (portOk(entry.slice(colon + 1), port) && selects(host, d, s)) return true
      }
    }
    for (const rule of policy.grants ?? []) {
      if (!rule.src.some((sel) => selects(sel, s, undefined)) || !rule.dst.some((sel) => selects(sel, d, s))) continue
      for (const ip of rule.ip ?? []) {
        const [p, ps] = ip.includes(':') ? ip.split(':') : [undefined, ip]
        if ((p === undefined ? ['tcp', 'udp', 'icmp'] : [p]).some((x) => wanted.includes(x)) && portOk(ps!, port)) return true
      }
    }
    return false
  }
  const dsts = addressesOfEnd(dst)
  const verdicts = addressesOfEnd(src).flatMap((s) => {
    const peers = dsts.filter((d) => d.v6 === s.v6)
    return peers.length === 0 ? [] : [peers.some((d) => allows(s, d))]
  })
  if (verdicts.length === 0) return 'none'
  return verdicts.every(Boolean) ? 'all' : verdicts.some(Boolean) ? 'some' : 'none'
}
