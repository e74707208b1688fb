import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('unused-host', () => {
  test('fires on a host alias nothing names', () => {
    // GIVEN
    const policy = `{
  "hosts": {
    "nas": "192.168.1.20",
    "old-printer": "192.168.1.30",
  },
  "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["nas:445"]}],
}`
    // THEN
    expect(findings(policy, 'unused-host')).toStrictEqual([
      '4  warning  unused-host  host `old-printer` (`192.168.1.30`) is defined but never used  → remove it, or use it in the rules that reach that address',
    ])
  })

  test('counts grant destinations, tests and ip sets as uses', () => {
    // GIVEN
    const policy = `{
  "hosts": {"a": "10.0.0.1", "b": "10.0.0.2", "c": "10.0.0.3"},
  "ipsets": {"ipset:lab": ["host:c"]},
  "grants": [{"src": ["group:eng"], "dst": ["a"], "ip": ["22"]}],
  "tests": [{"src": "alice@example.com", "deny": ["b:22"]}],
}`
    // THEN
    expect(findings(policy, 'unused-host')).toStrictEqual([])
  })
})
