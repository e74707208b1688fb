import { objectsOf, strings } from '../../analyze/flows.js'
import type { LintFinding, LintRule } from '../rule.js'

export const wildcardDestination: LintRule = {
  id: 'wildcard-destination',
  severity: 'warning',
  description: 'a rule whose destination is `*` (every device and every approved subnet)',
  check({ policy }) {
    const findings: LintFinding[] = []
    for (const [acl, i] of objectsOf(policy.acls)) {
      const wide = strings(acl.dst ?? acl.ports).find((d) => d.trim().startsWith('*:'))
      if (wide === undefined) continue
      findings.push({
        message: `rule lets ${names(strings(acl.src ?? acl.users))} reach any destination (\`${wide.trim()}\`)`,
        path: ['acls', i],
        hint: wide.trim() === '*:*' ? 'name the tags, hosts or subnets it needs, with their ports' : 'name the tags, hosts or subnets it needs',
      })
    }
    for (const [grant, i] of objectsOf(policy.grants)) {
      if (!strings(grant.dst).some((d) => d.trim() === '*')) continue
      const ports = strings(grant.ip)
      findings.push({
        message: `rule lets ${names(strings(grant.src))} reach any destination (\`*\`)${ports.length > 0 ? ` on ${ports.map((p) => `\`${p}\``).join(', ')}` : ''}`,
        path: ['grants', i],
        hint: 'name the tags, hosts or subnets it needs',
      })
    }
    return findings
  },
}

function names(selectors: readonly string[]): string {
  return selectors.map((s) => `\`${s}\``).join(', ')
}
