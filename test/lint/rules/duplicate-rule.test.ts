import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('duplicate-rule', () => {
  test('fires on a rule that allows exactly what an earlier one allows, however it is written', () => {
    // GIVEN
    const policy = `{
  "groups": {"group:dba": ["alice@example.com"]},
  "acls": [
    {"action": "accept", "src": ["group:dba"], "dst": ["tag:db:5432"]},
  ],
  "grants": [
    {"src": ["alice@example.com"], "dst": ["tag:db"], "ip": ["5432"]},
  ],
}`
    // THEN
    expect(findings(policy, 'duplicate-rule')).toStrictEqual([
      '7  warning  duplicate-rule  rule allows exactly what `acls[0]` (policy.hujson:4) allows  → remove one of the two; keeping both means deleting one changes nothing and misleads reviewers',
    ])
  })

  test('is quiet when the rules differ in ports', () => {
    expect(findings(`{"grants": [{"src": ["tag:a"], "dst": ["tag:b"], "ip": ["22"]}, {"src": ["tag:a"], "dst": ["tag:b"], "ip": ["23"]}]}`, 'duplicate-rule')).toStrictEqual([])
  })
})
