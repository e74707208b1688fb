import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('ssh-root-accept', () => {
  test('fires on an accept rule that allows root', () => {
    // GIVEN
    const policy = `{
  "ssh": [
    {"action": "accept", "src": ["group:sre"], "dst": ["tag:prod"], "users": ["root", "ubuntu"]},
  ],
}`
    // THEN
    expect(findings(policy, 'ssh-root-accept')).toStrictEqual([
      '3  warning  ssh-root-accept  ssh rule accepts `root` logins from `group:sre` without re-authentication  → use `"action": "check"` so a root login needs a recent sign-in, or log in as `autogroup:nonroot`',
    ])
  })

  test('is quiet for check mode and for non-root logins', () => {
    // GIVEN
    const policy = `{"ssh": [
      {"action": "check", "src": ["group:sre"], "dst": ["tag:prod"], "users": ["root"]},
      {"action": "accept", "src": ["group:sre"], "dst": ["tag:prod"], "users": ["autogroup:nonroot"]},
    ]}`
    // THEN
    expect(findings(policy, 'ssh-root-accept')).toStrictEqual([])
  })
})
