import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('untested-rule', () => {
  test('fires on rules no test exercises, suggesting a test to paste', () => {
    // GIVEN
    const policy = `{
  "groups": {"group:eng": ["alice@example.com"]},
  "grants": [
    {"src": ["group:eng"], "dst": ["tag:web"], "ip": ["443"]},
    {"src": ["group:eng"], "dst": ["tag:db"], "ip": ["tcp:5432"]},
  ],
  "ssh": [{"action": "check", "src": ["group:eng"], "dst": ["tag:db"], "users": ["postgres"]}],
  "tests": [{"src": "alice@example.com", "accept": ["tag:web:443"]}],
}`
    // THEN
    expect(findings(policy, 'untested-rule')).toStrictEqual([
      '5  warning  untested-rule  rule is not exercised by any test  → add e.g. `{"src": "alice@example.com", "accept": ["tag:db:5432"]}` to `tests`',
      '7  warning  untested-rule  rule is not exercised by any test  → add e.g. `{"src": "alice@example.com", "dst": ["tag:db"], "check": ["postgres"]}` to `sshTests`',
    ])
  })

  test('is quiet when every rule is exercised', () => {
    // GIVEN
    const policy = `{
  "grants": [{"src": ["tag:web"], "dst": ["tag:api"], "ip": ["443"]}],
  "tests": [{"src": "tag:web", "accept": ["tag:api:443"]}],
}`
    // THEN
    expect(findings(policy, 'untested-rule')).toStrictEqual([])
  })
})
