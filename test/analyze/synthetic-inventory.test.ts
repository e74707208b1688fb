import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { runTests } from '../../src/analyze/run-tests.js'
import { synthesizeInventory, synthesizeTailnet } from '../../src/analyze/synthetic-inventory.js'

describe('synthesizeInventory', () => {
  test('one device per named user and per named tag, tagged devices without owner', () => {
    // GIVEN
    const policy: TailnetPolicy = {
      groups: { 'group:dev': ['alice@example.com'] },
      tagOwners: { 'tag:web': ['group:dev'] },
      grants: [{ src: ['bob@example.com'], dst: ['tag:db'], ip: ['tcp:5432'] }],
    }
    // WHEN
    const inventory = synthesizeInventory(policy)
    // THEN
    expect(inventory.users.map((u) => u.email)).toEqual(['alice@example.com', 'bob@example.com'])
    expect(inventory.nodes.map((n) => [n.name, n.user ?? null, n.tags])).toEqual([
      ['alice@example.com', 'alice@example.com', []],
      ['bob@example.com', 'bob@example.com', []],
      ['tag:db', null, ['tag:db']],
      ['tag:web', null, ['tag:web']],
    ])
    expect(inventory.tailnet).toBe('example.com')
  })

  test('devices never get an address inside a range the policy names', () => {
    // GIVEN a rule opening 100.64.0.0/24 by address
    const policy: TailnetPolicy = {
      hosts: { office: '100.64.0.0/24', printer: '100.64.1.1' },
      acls: [{ action: 'accept', src: ['office'], dst: ['tag:web:80'] }],
      tagOwners: { 'tag:web': [] },
    }
    // WHEN
    const inventory = synthesizeInventory(policy)
    // THEN
    for (const node of inventory.nodes) {
      expect(node.ipv4?.startsWith('100.64.0.')).toBe(false)
      expect(node.ipv4).not.toBe('100.64.1.1')
    }
  })

  test('is deterministic', () => {
    const policy: TailnetPolicy = { groups: { 'group:a': ['z@x.org', 'a@x.org'] }, tagOwners: { 'tag:b': [], 'tag:a': [] } }
    expect(JSON.stringify(synthesizeInventory(policy))).toBe(JSON.stringify(synthesizeInventory(policy)))
  })

  test('a user’s role is inferred from the tests when role autogroups grant access', () => {
    // GIVEN only admins reach the database, and the tests say carol does
    const policy: TailnetPolicy = {
      tagOwners: { 'tag:db': ['autogroup:admin'] },
      acls: [{ action: 'accept', src: ['autogroup:admin'], dst: ['tag:db:5432'] }],
      tests: [
        { src: 'carol@example.com', accept: ['tag:db:5432'] },
        { src: 'dave@example.com', deny: ['tag:db:5432'] },
      ],
    }
    // WHEN
    const { inventory, assumptions } = synthesizeTailnet(policy)
    // THEN
    expect(inventory.users.find((u) => u.email === 'carol@example.com')?.role).toBe('admin')
    expect(inventory.users.find((u) => u.email === 'dave@example.com')?.role).toBeUndefined()
    expect(assumptions).toEqual([{ fact: '`carol@example.com` has the admin role (`autogroup:admin`)', evidence: [['tests', 0, 'accept', 0]] }])
    expect(runTests(policy, inventory).every((r) => r.passed)).toBe(true)
  })

  test('a Tailscale address the tests treat as someone’s device becomes that device', () => {
    // GIVEN servers reach each other, and the tests say 100.90.0.7 is reached as a server
    const policy: TailnetPolicy = {
      tagOwners: { 'tag:server': [], 'tag:client': [] },
      hosts: { nas: '100.90.0.7' },
      grants: [{ src: ['tag:client'], dst: ['tag:server'], ip: ['tcp:445'] }],
      tests: [{ src: 'tag:client', accept: ['nas:445'] }],
    }
    // WHEN
    const { inventory, assumptions } = synthesizeTailnet(policy)
    // THEN
    expect(inventory.nodes.find((n) => n.ipv4 === '100.90.0.7')?.tags).toEqual(['tag:server'])
    expect(assumptions).toEqual([{ fact: '`nas` (100.90.0.7) is a device tagged `tag:server`', evidence: [['tests', 0, 'accept', 0]] }])
  })
})
