import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('wildcard-source', () => {
  test('fires on `*` and `autogroup:danger-all` sources, with what they reach', () => {
    // GIVEN
    const policy = `{
  "grants": [
    {"src": ["*"], "dst": ["tag:web"], "ip": ["443"]},
  ],
  "acls": [
    {"action": "accept", "src": ["autogroup:danger-all"], "dst": ["tag:web:80"]},
  ],
}`
    // THEN
    expect(findings(policy, 'wildcard-source')).toStrictEqual([
      '3  warning  wildcard-source  rule lets any source (`*`: every device, approved subnet and shared user) reach `tag:web`  → name the groups or tags that need this access instead',
      '6  warning  wildcard-source  rule lets every source, including addresses outside the tailnet (`autogroup:danger-all`) reach `tag:web:80`  → name the groups or tags that need this access instead',
    ])
  })

  test('is quiet when sources are named', () => {
    expect(findings(`{"grants": [{"src": ["group:eng", "tag:ci"], "dst": ["*"], "ip": ["443"]}]}`, 'wildcard-source')).toStrictEqual([])
  })
})
