import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('wildcard-destination', () => {
  test('fires on `*:*` and `*:port` ACL destinations and `*` grant destinations', () => {
    // GIVEN
    const policy = `{
  "acls": [
    {"action": "accept", "src": ["group:admins"], "dst": ["*:*"]},
    {"action": "accept", "src": ["tag:monitor"], "dst": ["*:9100"]},
  ],
  "grants": [{"src": ["tag:scanner"], "dst": ["*"], "ip": ["tcp:443"]}],
}`
    // THEN
    expect(findings(policy, 'wildcard-destination')).toStrictEqual([
      '3  warning  wildcard-destination  rule lets `group:admins` reach any destination (`*:*`)  → name the tags, hosts or subnets it needs, with their ports',
      '4  warning  wildcard-destination  rule lets `tag:monitor` reach any destination (`*:9100`)  → name the tags, hosts or subnets it needs',
      '6  warning  wildcard-destination  rule lets `tag:scanner` reach any destination (`*`) on `tcp:443`  → name the tags, hosts or subnets it needs',
    ])
  })

  test('is quiet when destinations are named, even with every port', () => {
    expect(findings(`{"acls": [{"action": "accept", "src": ["*"], "dst": ["tag:web:*"]}]}`, 'wildcard-destination')).toStrictEqual([])
  })
})
