import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('overlapping-rules', () => {
  test('fires when two rules each add something but share a path', () => {
    // GIVEN
    const policy = `{
  "grants": [
    {"src": ["tag:web"], "dst": ["tag:api"], "ip": ["tcp:80", "tcp:443"]},
    {"src": ["tag:web"], "dst": ["tag:api"], "ip": ["tcp:443", "tcp:8443"]},
  ],
}`
    // THEN
    expect(findings(policy, 'overlapping-rules')).toStrictEqual([
      '4  info  overlapping-rules  rule repeats access `grants[0]` (policy.hujson:3) already allows: `tag:web` → `tag:api` on `tcp:443`  → keep each path in one rule, so that removing a rule removes the access',
    ])
  })

  test('is quiet for disjoint rules, and leaves shadowed rules to shadowed-rule', () => {
    // GIVEN
    const policy = `{
  "grants": [
    {"src": ["tag:web"], "dst": ["tag:api"], "ip": ["tcp:80-90"]},
    {"src": ["tag:web"], "dst": ["tag:api"], "ip": ["tcp:85"]},
    {"src": ["tag:web"], "dst": ["tag:api"], "ip": ["tcp:443"]},
  ],
}`
    // THEN
    expect(findings(policy, 'overlapping-rules')).toStrictEqual([])
  })
})
