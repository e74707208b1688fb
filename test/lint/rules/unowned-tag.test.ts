import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('unowned-tag', () => {
  test('fires once per tag used but missing from tagOwners, at its first use', () => {
    // GIVEN
    const policy = `{
  "tagOwners": {"tag:web": []},
  "grants": [
    {"src": ["tag:web"], "dst": ["tag:api"], "ip": ["443"]},
    {"src": ["tag:api"], "dst": ["tag:web"], "ip": ["443"]},
  ],
}`
    // THEN
    expect(findings(policy, 'unowned-tag')).toStrictEqual([
      '4  error  unowned-tag  tag `tag:api` is used but never owned  → declare it in `tagOwners` (e.g. `"tag:api": ["group:admins"]`); Tailscale rejects a policy that uses an undeclared tag',
    ])
  })

  test('is quiet when every tag is owned', () => {
    expect(findings(`{"tagOwners": {"tag:web": [], "tag:api": []}, "grants": [{"src": ["tag:web"], "dst": ["tag:api"], "ip": ["443"]}]}`, 'unowned-tag')).toStrictEqual([])
  })
})
