import { objectsOf, strings } from '../../analyze/flows.js'
import type { LintRule } from '../rule.js'

export const acceptOnlyTests: LintRule = {
  id: 'accept-only-tests',
  severity: 'warning',
  description: 'tests that assert only allowed paths, so nothing notices when access grows',
  check({ policy }) {
    const tests = objectsOf(policy.tests)
    if (tests.length === 0 || tests.some(([t]) => strings(t.deny).length > 0)) return []
    return [
      {
        message: `the ${tests.length === 1 ? 'test asserts' : `${tests.length} tests assert`} only access that must work; none asserts a path that must stay closed`,
        path: ['tests'],
        hint: 'add `deny` entries for what must stay unreachable, e.g. `"deny": ["tag:db:22"]`, so a broadened rule fails the tests',
      },
    ]
  },
}
