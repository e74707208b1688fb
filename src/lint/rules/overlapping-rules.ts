import { describeAccess } from '../../analyze/describe-access.js'
import { ruleRelations } from '../rule-relations.js'
import type { LintFinding, LintRule } from '../rule.js'
import { describeRule } from '../describe-rule.js'
import { pathOf } from './duplicate-rule.js'

export const overlappingRules: LintRule = {
  id: 'overlapping-rules',
  severity: 'info',
  description: 'rules that allow some of the same paths',
  check(context) {
    const findings: LintFinding[] = []
    for (const [key, overlaps] of ruleRelations(context.flows).overlaps) {
      for (const { other, flow, ports } of overlaps) {
        findings.push({
          message: `rule repeats access ${describeRule(other, context.source)} already allows: \`${flow.src}\` → \`${flow.dst}\` on \`${describeAccess([{ proto: flow.proto, ports: [ports] }])}\``,
          path: pathOf(key),
          hint: 'keep each path in one rule, so that removing a rule removes the access',
        })
      }
    }
    return findings
  },
}
