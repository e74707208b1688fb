import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('empty-group', () => {
  test('fires on a group without members', () => {
    // GIVEN
    const policy = `{
  "groups": {
    "group:contractors": [],
    "group:eng": ["alice@example.com"],
  },
}`
    // THEN
    expect(findings(policy, 'empty-group')).toStrictEqual([
      '3  warning  empty-group  group `group:contractors` has no members, so rules that name it allow nobody  → add its members, or remove the group and the rules that name it',
    ])
  })

  test('is quiet when every group has members', () => {
    expect(findings(`{"groups": {"group:eng": ["alice@example.com"]}}`, 'empty-group')).toStrictEqual([])
  })
})
