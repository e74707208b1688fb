import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import type { Inventory } from '../../src/model/inventory.js'
import { explain } from '../../src/analyze/explain.js'

const inventory: Inventory = {
  tailnet: 'example.com',
  users: [
    { id: 1, name: 'alice', email: 'alice@example.com' },
    { id: 2, name: 'bob', email: 'bob@example.com' },
  ],
  nodes: [
    { name: 'alice-laptop', user: 'alice', tags: [], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
    { name: 'bob-laptop', user: 'bob', tags: [], ipv4: '100.64.0.2', ipv6: 'fd7a:115c:a1e0::2' },
    { name: 'web-1', tags: ['tag:web'], ipv4: '100.64.0.10', ipv6: 'fd7a:115c:a1e0::a' },
    { name: 'db-1', tags: ['tag:db'], ipv4: '100.64.0.11', ipv6: 'fd7a:115c:a1e0::b' },
  ],
}

const policy: TailnetPolicy = {
  groups: { 'group:dev': ['alice@example.com', 'bob@example.com'] },
  tagOwners: { 'tag:web': ['group:dev'], 'tag:db': ['group:dev'] },
  acls: [{ action: 'accept', src: ['tag:web'], dst: ['tag:db:5432'], proto: 'tcp' }],
  grants: [
    { src: ['group:dev'], dst: ['tag:web'], ip: ['tcp:443'] },
    { src: ['alice@example.com'], dst: ['tag:web'], ip: ['tcp:22'] },
  ],
}

describe('explain', () => {
  test('an allowed connection names every rule that allows it', () => {
    // WHEN
    const answer = explain(policy, inventory, { src: 'alice@example.com', dst: 'tag:web', port: 443 })
    // THEN
    expect(answer.allowed).toBe(true)
    expect(answer.allowedBy).toEqual([['grants', 0]])
    expect(answer.nearest).toEqual([])
  })

  test('device names work as ends', () => {
    const answer = explain(policy, inventory, { src: 'web-1', dst: 'db-1', port: 5432, proto: 'tcp' })
    expect(answer).toMatchObject({ allowed: true, allowedBy: [['acls', 0]] })
    expect(answer.src?.devices).toEqual(['web-1'])
  })

  test('a denial names the nearest rule and what differs', () => {
    // WHEN bob asks for ssh, which only alice has
    const answer = explain(policy, inventory, { src: 'bob-laptop', dst: 'web-1', port: 22 })
    // THEN
    expect(answer.allowed).toBe(false)
    expect(answer.refused).toEqual(['bob-laptop (100.64.0.2)', 'bob-laptop (fd7a:115c:a1e0::2)'])
    expect(answer.nearest[0]).toMatchObject({ rule: ['grants', 0], differs: ['port'] })
    expect(answer.nearest[0]?.message).toBe('grants[0] allows `group:dev` → `tag:web` on tcp:443, not port 22')
    expect(answer.nearest.map((n) => n.rule)).toContainEqual(['grants', 1])
  })

  test('a wrong protocol is named as the difference', () => {
    const answer = explain(policy, inventory, { src: 'tag:web', dst: 'tag:db', port: 5432, proto: 'udp' })
    expect(answer.allowed).toBe(false)
    expect(answer.nearest[0]).toMatchObject({ rule: ['acls', 0], differs: ['protocol'] })
  })

  test('an end that names nothing is a diagnostic, not an answer', () => {
    const answer = explain(policy, inventory, { src: 'tag:nope', dst: 'tag:web', port: 443 })
    expect(answer.allowed).toBe(false)
    expect(answer.diagnostics[0]).toMatchObject({ code: 'explain-source', severity: 'error' })
  })
})
