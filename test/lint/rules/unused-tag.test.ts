import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('unused-tag', () => {
  test('fires on an owned tag nothing names', () => {
    // GIVEN
    const policy = `{
  "tagOwners": {
    "tag:web": ["group:eng"],
    "tag:old": ["group:eng"],
  },
  "grants": [{"src": ["group:eng"], "dst": ["tag:web"], "ip": ["443"]}],
}`
    // THEN
    expect(findings(policy, 'unused-tag')).toStrictEqual([
      '4  warning  unused-tag  tag `tag:old` is owned but never used  → remove it from `tagOwners`, or write the rules for the devices that carry it',
    ])
  })

  test('counts ssh, node attributes, approvers and owning another tag as uses', () => {
    // GIVEN
    const policy = `{
  "tagOwners": {"tag:ci": [], "tag:runner": ["tag:ci"], "tag:exit": [], "tag:dns": []},
  "ssh": [{"action": "check", "src": ["group:eng"], "dst": ["tag:runner"], "users": ["root"]}],
  "autoApprovers": {"exitNode": ["tag:exit"]},
  "nodeAttrs": [{"target": ["tag:dns"], "attr": ["nextdns:abc"]}],
}`
    // THEN
    expect(findings(policy, 'unused-tag')).toStrictEqual([])
  })
})
