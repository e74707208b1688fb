import { ruleRelations } from '../rule-relations.js'
import type { LintRule } from '../rule.js'
import { describeRule } from '../describe-rule.js'
import { pathOf } from './duplicate-rule.js'

export const shadowedRule: LintRule = {
  id: 'shadowed-rule',
  severity: 'warning',
  description: 'a rule whose every flow a broader rule already allows',
  check(context) {
    return [...ruleRelations(context.flows).shadowed].map(([key, other]) => ({
      message: `rule is shadowed by the broader ${describeRule(other, context.source)}: everything it allows is already allowed there`,
      path: pathOf(key),
      hint: `remove it, or narrow ${describeRule(other, context.source)} if this rule states the intended access`,
    }))
  },
}
