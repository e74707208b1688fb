import { entriesOf } from '../../analyze/flows.js'
import type { LintRule } from '../rule.js'

export const unusedGroup: LintRule = {
  id: 'unused-group',
  severity: 'warning',
  description: 'a group no rule, owner list, approver list or test names',
  check({ policy, references }) {
    const used = new Set(references.filter((r) => r.alias.kind === 'group').map((r) => r.alias.text))
    return entriesOf(policy.groups)
      .filter(([name]) => !used.has(name))
      .map(([name]) => ({
        message: `group \`${name}\` is defined but never used`,
        path: ['groups', name],
        hint: 'remove it, or name it in the rules that should apply to its members',
      }))
  },
}
