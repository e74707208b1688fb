import { entriesOf } from '../../analyze/flows.js'
import type { LintRule } from '../rule.js'

export const unusedTag: LintRule = {
  id: 'unused-tag',
  severity: 'warning',
  description: 'a tag in `tagOwners` that no rule, test, approver or node attribute names',
  check({ policy, references }) {
    // owning another tag is a use: `tag:ci` may own the tags it applies to runners
    const used = new Set(references.filter((r) => r.alias.kind === 'tag').map((r) => r.alias.text))
    return entriesOf(policy.tagOwners)
      .filter(([tag]) => !used.has(tag))
      .map(([tag]) => ({
        message: `tag \`${tag}\` is owned but never used`,
        path: ['tagOwners', tag],
        hint: 'remove it from `tagOwners`, or write the rules for the devices that carry it',
      }))
  },
}
