import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import type { Inventory } from '../../src/model/inventory.js'
import { globalRules, type GlobalRule } from '../../src/analyze/global-rules.js'
import { resolver } from '../../src/analyze/resolve.js'

const inventory: Inventory = {
  tailnet: 'example.com',
  users: [{ id: 1, name: 'alice', email: 'alice@example.com' }],
  nodes: [
    { name: 'laptop', user: 'alice', tags: [], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
    { name: 'web', tags: ['tag:web'], ipv4: '100.64.0.10', ipv6: 'fd7a:115c:a1e0::a' },
  ],
}

const rulesOf = (policy: TailnetPolicy): GlobalRule[] => globalRules(policy, resolver(policy, inventory))
const summary = (rules: readonly GlobalRule[]) =>
  rules.map((r) =>
    r.kind === 'ip'
      ? { from: `${r.origin.section}[${r.origin.index}]`, to: r.destinations.map((d) => d.selector), protocols: r.protocols, ports: r.ports.map((p) => `${p.first}-${p.last}`) }
      : { from: `${r.origin.section}[${r.origin.index}]`, to: r.destinations.map((d) => d.selector), capabilities: Object.keys(r.capabilities) },
  )

describe('globalRules', () => {
  test('an ACL gives one rule per destination entry, each with its own ports and the rule’s protocol', () => {
    // WHEN
    const rules = rulesOf({ acls: [{ action: 'accept', src: ['alice@example.com'], proto: 'udp', dst: ['tag:web:53', '100.64.0.1:1000-2000,3000'] }] })
    // THEN
    expect(summary(rules)).toEqual([
      { from: 'acls[0]', to: ['tag:web'], protocols: [17], ports: ['53-53'] },
      { from: 'acls[0]', to: ['100.64.0.1'], protocols: [17], ports: ['1000-2000', '3000-3000'] },
    ])
  })

  test('a grant gives one rule per ip entry and one for its app capabilities', () => {
    // WHEN
    const rules = rulesOf({ grants: [{ src: ['*'], dst: ['tag:web'], ip: ['tcp:443', '*'], app: { 'example.com/cap/x': [{}] } }] })
    // THEN
    expect(summary(rules)).toEqual([
      { from: 'grants[0]', to: ['tag:web'], protocols: [6], ports: ['443-443'] },
      { from: 'grants[0]', to: ['tag:web'], protocols: [6, 17, 1, 58], ports: ['0-65535'] },
      { from: 'grants[0]', to: ['tag:web'], capabilities: ['example.com/cap/x'] },
    ])
  })

  test('the legacy users/ports spelling of an ACL means src/dst', () => {
    // WHEN
    const rules = rulesOf({ acls: [{ action: 'accept', users: ['alice@example.com'], ports: ['tag:web:22'] }] })
    // THEN
    expect(summary(rules)).toEqual([{ from: 'acls[0]', to: ['tag:web'], protocols: [6, 17, 1, 58], ports: ['22-22'] }])
    expect(rules[0]?.src.devices.map((d) => d.name)).toEqual(['laptop'])
  })

  test('a file with neither acls nor grants allows everything; an empty list allows nothing', () => {
    expect(summary(rulesOf({}))).toEqual([{ from: 'grants[0]', to: ['*'], protocols: [6, 17, 1, 58], ports: ['0-65535'] }])
    expect(rulesOf({ grants: [] })).toEqual([])
    expect(rulesOf({ acls: [] })).toEqual([])
  })

  test('entries that do not parse are left to validation and produce nothing', () => {
    // WHEN
    const rules = rulesOf({
      acls: [{ action: 'accept', src: ['*'], dst: ['tag:web:ssh', 'tag:web'] }],
      grants: [{ src: ['*'], dst: ['tag:web'], ip: ['icmp'] }],
    })
    // THEN
    expect(rules).toEqual([])
  })

  test('app capabilities through `via` produce no rule, as the captures show', () => {
    // WHEN
    const rules = rulesOf({ grants: [{ src: ['*'], dst: ['10.0.0.0/8'], via: ['tag:web'], app: { 'example.com/cap/x': [{}] } }] })
    // THEN
    expect(rules).toEqual([])
  })
})
