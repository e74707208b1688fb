import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('unused-group', () => {
  test('fires on a group nothing names', () => {
    // GIVEN
    const policy = `{
  "groups": {
    "group:eng": ["alice@example.com"],
    "group:legacy": ["bob@example.com"],
  },
  "grants": [{"src": ["group:eng"], "dst": ["tag:web"], "ip": ["443"]}],
}`
    // THEN
    expect(findings(policy, 'unused-group')).toStrictEqual([
      '4  warning  unused-group  group `group:legacy` is defined but never used  → remove it, or name it in the rules that should apply to its members',
    ])
  })

  test('counts tag owners, approvers and tests as uses', () => {
    // GIVEN
    const policy = `{
  "groups": {"group:a": ["a@example.com"], "group:b": ["b@example.com"], "group:c": ["c@example.com"]},
  "tagOwners": {"tag:web": ["group:a"]},
  "autoApprovers": {"exitNode": ["group:b"]},
  "tests": [{"src": "group:c", "accept": ["tag:web:443"]}],
}`
    // THEN
    expect(findings(policy, 'unused-group')).toStrictEqual([])
  })
})
