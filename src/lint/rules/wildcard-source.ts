import { objectsOf, strings } from '../../analyze/flows.js'
import type { LintFinding, LintRule } from '../rule.js'

const everyone: Readonly<Record<string, string>> = {
  '*': 'any source (`*`: every device, approved subnet and shared user)',
  'autogroup:danger-all': 'every source, including addresses outside the tailnet (`autogroup:danger-all`)',
}

export const wildcardSource: LintRule = {
  id: 'wildcard-source',
  severity: 'warning',
  description: 'a rule whose source is `*` or `autogroup:danger-all`',
  check({ policy }) {
    const findings: LintFinding[] = []
    const look = (section: 'acls' | 'grants', index: number, sources: string[], targets: string[]): void => {
      const wide = sources.map((s) => s.trim()).find((s) => Object.hasOwn(everyone, s))
      if (wide === undefined) return
      findings.push({
        message: `rule lets ${everyone[wide]} reach ${targets.map((t) => `\`${t}\``).join(', ')}`,
        path: [section, index],
        hint: 'name the groups or tags that need this access instead',
      })
    }
    for (const [acl, i] of objectsOf(policy.acls)) look('acls', i, strings(acl.src ?? acl.users), strings(acl.dst ?? acl.ports))
    for (const [grant, i] of objectsOf(policy.grants)) look('grants', i, strings(grant.src), strings(grant.dst))
    return findings
  },
}
