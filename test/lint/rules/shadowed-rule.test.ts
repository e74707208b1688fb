import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('shadowed-rule', () => {
  test('fires when a broader rule already allows everything a rule allows', () => {
    // GIVEN
    const policy = `{
  "groups": {"group:eng": ["alice@example.com", "bob@example.com"]},
  "grants": [
    {"src": ["group:eng"], "dst": ["tag:db"], "ip": ["5000-6000"]},
    {"src": ["alice@example.com"], "dst": ["tag:db"], "ip": ["tcp:5432"]},
    {"src": ["*"], "dst": ["tag:web"], "ip": ["443"]},
    {"src": ["tag:ci"], "dst": ["tag:web"], "ip": ["443"]},
  ],
}`
    // THEN
    expect(findings(policy, 'shadowed-rule')).toStrictEqual([
      '5  warning  shadowed-rule  rule is shadowed by the broader `grants[0]` (policy.hujson:4): everything it allows is already allowed there  → remove it, or narrow `grants[0]` (policy.hujson:4) if this rule states the intended access',
      '7  warning  shadowed-rule  rule is shadowed by the broader `grants[2]` (policy.hujson:6): everything it allows is already allowed there  → remove it, or narrow `grants[2]` (policy.hujson:6) if this rule states the intended access',
    ])
  })

  test('is quiet when each rule adds something, or when the broader rule needs a posture', () => {
    // GIVEN
    const policy = `{
  "grants": [
    {"src": ["alice@example.com"], "dst": ["tag:db"], "ip": ["tcp:5432"]},
    {"src": ["alice@example.com"], "dst": ["tag:db"], "ip": ["tcp:5433"]},
    {"src": ["*"], "dst": ["tag:web"], "ip": ["443"], "srcPosture": ["posture:managed"]},
    {"src": ["tag:ci"], "dst": ["tag:web"], "ip": ["443"]},
  ],
}`
    // THEN
    expect(findings(policy, 'shadowed-rule')).toStrictEqual([])
  })
})
