import { describe, expect, test } from 'vitest'
import type { Inventory } from '../../src/model/inventory.js'
import { checkPolicy } from '../../src/analyze/check.js'

const inventory: Inventory = {
  tailnet: 'example.com',
  users: [{ id: 1, name: 'alice', email: 'alice@example.com' }],
  nodes: [
    { name: 'laptop', user: 'alice', tags: [], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
    { name: 'web', tags: ['tag:web'], ipv4: '100.64.0.2', ipv6: 'fd7a:115c:a1e0::2' },
  ],
}

const policy = (tests: unknown[]): unknown => ({
  tagOwners: { 'tag:web': ['alice@example.com'] },
  grants: [{ src: ['alice@example.com'], dst: ['tag:web'], ip: ['tcp:443'] }],
  tests,
})

describe('checkPolicy', () => {
  test('a valid policy whose tests pass is ok, with the counts', () => {
    // WHEN
    const report = checkPolicy(policy([{ src: 'alice@example.com', accept: ['tag:web:443'], deny: ['tag:web:22'] }]), { inventory })
    // THEN
    expect(report.ok).toBe(true)
    expect(report.tests).toMatchObject({ passed: 2, failed: 0 })
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  })

  test('a failing assertion is an error at the path of its entry, in Tailscale’s words', () => {
    // WHEN
    const report = checkPolicy(policy([{ src: 'alice@example.com', accept: ['tag:web:443', 'tag:web:22'] }]), { inventory })
    // THEN
    expect(report.ok).toBe(false)
    expect(report.tests).toMatchObject({ passed: 1, failed: 1 })
    const [failure] = report.diagnostics.filter((d) => d.code === 'test-failed')
    expect(failure).toMatchObject({ severity: 'error', path: ['tests', 0, 'accept', 1] })
    expect(failure?.message).toBe('test(s) failed: `alice@example.com` → `tag:web:22`: want: Accept, got: Drop')
    expect(failure?.hint).toContain('laptop (100.64.0.1)')
  })

  test('an invalid policy reports validation errors and runs no tests', () => {
    const report = checkPolicy({ acls: [{ action: 'allow', src: ['*'], dst: ['*:*'] }], tests: [{ src: 'alice@example.com', accept: ['tag:web:443'] }] })
    expect(report.ok).toBe(false)
    expect(report.tests.results).toEqual([])
    expect(report.diagnostics.some((d) => d.severity === 'error' && d.path !== undefined)).toBe(true)
  })

  test('without an inventory the tests run on a synthetic tailnet, and say so', () => {
    // WHEN
    const report = checkPolicy(policy([{ src: 'alice@example.com', accept: ['tag:web:443'], deny: ['tag:web:80'] }]))
    // THEN
    expect(report.ok).toBe(true)
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'synthetic-tailnet', severity: 'info' }))
  })

  test('a policy without tests is judged by validation alone', () => {
    const report = checkPolicy({ grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }] })
    expect(report).toEqual({ ok: true, diagnostics: [], tests: { passed: 0, failed: 0, results: [] } })
  })

  test('a fact only one test shows is a located warning: offline that test cannot be told from its opposite', () => {
    // GIVEN only admins reach the database, and one test says carol does
    const raw = {
      tagOwners: { 'tag:db': ['autogroup:admin'] },
      acls: [{ action: 'accept', src: ['autogroup:admin'], dst: ['tag:db:5432'] }],
      tests: [{ src: 'carol@example.com', accept: ['tag:db:5432'] }],
    }
    // WHEN
    const report = checkPolicy(raw)
    // THEN
    expect(report.ok).toBe(true)
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'synthetic-assumption', severity: 'warning', path: ['tests', 0, 'accept', 0], message: 'assumed from this test alone: `carol@example.com` has the admin role (`autogroup:admin`)' }),
    )
  })
})
