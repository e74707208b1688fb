import { objectsOf, strings } from '../../analyze/flows.js'
import type { LintFinding, LintRule } from '../rule.js'

export const sshRootAccept: LintRule = {
  id: 'ssh-root-accept',
  severity: 'warning',
  description: 'an ssh rule that accepts `root` logins without a check',
  check({ policy }) {
    const findings: LintFinding[] = []
    for (const [rule, i] of objectsOf(policy.ssh)) {
      if (rule.action !== 'accept' || !strings(rule.users).some((u) => u.trim() === 'root')) continue
      findings.push({
        message: `ssh rule accepts \`root\` logins from ${strings(rule.src).map((s) => `\`${s}\``).join(', ')} without re-authentication`,
        path: ['ssh', i],
        hint: 'use `"action": "check"` so a root login needs a recent sign-in, or log in as `autogroup:nonroot`',
      })
    }
    return findings
  },
}
