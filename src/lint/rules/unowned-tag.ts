import { entriesOf } from '../../analyze/flows.js'
import type { LintFinding, LintRule } from '../rule.js'

export const unownedTag: LintRule = {
  id: 'unowned-tag',
  severity: 'error',
  description: 'a tag used in the policy but missing from `tagOwners`',
  check({ policy, references }) {
    const owned = new Set(entriesOf(policy.tagOwners).map(([tag]) => tag))
    const reported = new Set<string>()
    const findings: LintFinding[] = []
    for (const reference of references) {
      if (reference.alias.kind !== 'tag' || owned.has(reference.alias.text) || reported.has(reference.alias.text)) continue
      reported.add(reference.alias.text)
      findings.push({
        message: `tag \`${reference.alias.text}\` is used but never owned`,
        path: reference.path,
        hint: `declare it in \`tagOwners\` (e.g. \`"${reference.alias.text}": ["group:admins"]\`); Tailscale rejects a policy that uses an undeclared tag`,
      })
    }
    return findings
  },
}
