import { ruleRelations } from '../rule-relations.js'
import type { LintRule } from '../rule.js'
import { describeRule } from '../describe-rule.js'

export const duplicateRule: LintRule = {
  id: 'duplicate-rule',
  severity: 'warning',
  description: 'a rule that allows exactly what an earlier rule allows',
  check(context) {
    return [...ruleRelations(context.flows).duplicates].map(([key, other]) => ({
      message: `rule allows exactly what ${describeRule(other, context.source)} allows`,
      path: pathOf(key),
      hint: 'remove one of the two; keeping both means deleting one changes nothing and misleads reviewers',
    }))
  },
}

export function pathOf(key: string): (string | number)[] {
  return key.split('/').map((part, i) => (i > 0 && /^[0-9]+$/.test(part) ? Number(part) : part))
}
