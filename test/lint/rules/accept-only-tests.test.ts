import { describe, expect, test } from 'vitest'
import { findings } from '../lint-one.js'

describe('accept-only-tests', () => {
  test('fires when no test asserts a denial', () => {
    // GIVEN
    const policy = `{
  "tests": [
    {"src": "alice@example.com", "accept": ["tag:web:443"]},
    {"src": "bob@example.com", "accept": ["tag:web:443"]},
  ],
}`
    // THEN
    expect(findings(policy, 'accept-only-tests')).toStrictEqual([
      '2  warning  accept-only-tests  the 2 tests assert only access that must work; none asserts a path that must stay closed  → add `deny` entries for what must stay unreachable, e.g. `"deny": ["tag:db:22"]`, so a broadened rule fails the tests',
    ])
  })

  test('is quiet when one test denies, or when there are no tests', () => {
    expect(findings(`{"tests": [{"src": "alice@example.com", "accept": ["tag:web:443"], "deny": ["tag:db:5432"]}]}`, 'accept-only-tests')).toStrictEqual([])
    expect(findings(`{"grants": []}`, 'accept-only-tests')).toStrictEqual([])
  })
})
