import { entriesOf } from '../../analyze/flows.js'
import type { LintRule } from '../rule.js'

export const unusedHost: LintRule = {
  id: 'unused-host',
  severity: 'warning',
  description: 'a host alias nothing names',
  check({ policy, references }) {
    const used = new Set(references.flatMap((r) => (r.alias.kind === 'host' ? [r.alias.name] : [])))
    return entriesOf(policy.hosts)
      .filter(([name]) => !used.has(name))
      .map(([name, address]) => ({
        message: `host \`${name}\` (${typeof address === 'string' ? `\`${address}\`` : 'no address'}) is defined but never used`,
        path: ['hosts', name],
        hint: 'remove it, or use it in the rules that reach that address',
      }))
  },
}
