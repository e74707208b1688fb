import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { changeRules, DENIED_PORT_FLOOR, generateInventory, generatePolicy, policySizes, ruleCount } from '../../src/analyze/generate-policy.js'

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex')

describe('generatePolicy |', () => {
  test('the same size and seed give the same bytes; another seed gives another policy', () => {
    // GIVEN / WHEN
    const first = generatePolicy('M', 7)
    const again = generatePolicy('M', 7)
    const other = generatePolicy('M', 8)
    // THEN
    expect(digest(again)).toBe(digest(first))
    expect(digest(other)).not.toBe(digest(first))
  })

  test('M has the counts issue 8 names: 200 tags, 500 rules, 5,000 tests', () => {
    // WHEN
    const policy = generatePolicy('M')
    // THEN
    expect(Object.keys(policy.tagOwners ?? {})).toHaveLength(200)
    expect((policy.acls?.length ?? 0) + (policy.grants?.length ?? 0) + (policy.ssh?.length ?? 0)).toBe(500)
    expect(policy.tests).toHaveLength(5_000)
    expect(ruleCount(policySizes.L)).toBe(5_000)
    expect(ruleCount(policySizes.XL)).toBe(10 * ruleCount(policySizes.L))
  })

  test('every name a rule or test uses is declared, and deny tests probe ports no rule opens', () => {
    // GIVEN
    const policy = generatePolicy('M', 3)
    const declared = new Set([...Object.keys(policy.tagOwners ?? {}), ...Object.keys(policy.groups ?? {}), ...Object.keys(policy.hosts ?? {})])
    const declaredOrUser = (name: string): boolean => declared.has(name) || name.endsWith('@example.com')
    // THEN
    for (const rule of [...(policy.acls ?? []), ...(policy.grants ?? [])]) {
      for (const src of rule.src ?? []) expect(declaredOrUser(src), src).toBe(true)
    }
    for (const test of policy.tests ?? []) {
      expect(declaredOrUser(test.src ?? '')).toBe(true)
      for (const deny of test.deny ?? []) expect(Number(deny.slice(deny.lastIndexOf(':') + 1))).toBeGreaterThanOrEqual(DENIED_PORT_FLOOR)
    }
    for (const acl of policy.acls ?? []) {
      for (const dst of acl.dst ?? []) {
        for (const port of dst.slice(dst.lastIndexOf(':') + 1).split(/[,-]/)) expect(Number(port)).toBeLessThan(DENIED_PORT_FLOOR)
      }
    }
  })

  test('S is the seed example: frontend → backend:8080, backend → database:5432, the admin device → everything', () => {
    // WHEN
    const policy = generatePolicy('S')
    // THEN
    expect(policy.acls?.map((rule) => `${rule.src?.join()} → ${rule.dst?.join()}`)).toEqual([
      'tag:frontend → tag:backend:8080',
      'tag:backend → tag:database:5432',
      'tag:danny → *:*',
    ])
  })
})

describe('generateInventory |', () => {
  test('is deterministic, numbers devices uniquely and only uses declared tags', () => {
    // GIVEN
    const policy = generatePolicy('M')
    // WHEN
    const inventory = generateInventory(policy, 1_000, 5)
    // THEN
    expect(digest(generateInventory(policy, 1_000, 5))).toBe(digest(inventory))
    expect(new Set(inventory.nodes.map((n) => n.ipv4)).size).toBe(1_000)
    const tags = new Set(Object.keys(policy.tagOwners ?? {}))
    for (const node of inventory.nodes) for (const tag of node.tags) expect(tags.has(tag)).toBe(true)
    const users = new Set(inventory.users.map((u) => u.name))
    for (const node of inventory.nodes) if (node.user !== undefined) expect(users.has(node.user)).toBe(true)
  })
})

describe('changeRules |', () => {
  test('changes about the given fraction of acls and grants and nothing else', () => {
    // GIVEN
    const policy = generatePolicy('M')
    // WHEN
    const changed = changeRules(policy, 0.01, 2)
    // THEN
    const differing = [...(policy.acls ?? []).map((r, i) => JSON.stringify(r) !== JSON.stringify(changed.acls?.[i])), ...(policy.grants ?? []).map((r, i) => JSON.stringify(r) !== JSON.stringify(changed.grants?.[i]))].filter(Boolean)
    expect(differing.length).toBeGreaterThanOrEqual(4)
    expect(differing.length).toBeLessThanOrEqual(5)
    expect(changed.tests).toBe(policy.tests)
    expect(digest(changeRules(policy, 0.01, 2))).toBe(digest(changed))
  })
})
