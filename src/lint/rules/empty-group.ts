import { entriesOf, strings } from '../../analyze/flows.js'
import type { LintRule } from '../rule.js'

export const emptyGroup: LintRule = {
  id: 'empty-group',
  severity: 'warning',
  description: 'a group without members',
  check({ policy }) {
    return entriesOf(policy.groups)
      .filter(([, members]) => Array.isArray(members) && strings(members).length === 0)
      .map(([name]) => ({
        message: `group \`${name}\` has no members, so rules that name it allow nobody`,
        path: ['groups', name],
        hint: 'add its members, or remove the group and the rules that name it',
      }))
  },
}
