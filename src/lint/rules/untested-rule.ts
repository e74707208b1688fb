import { formatPath } from '../../analyze/flows.js'
import type { LintRule } from '../rule.js'

export const untestedRule: LintRule = {
  id: 'untested-rule',
  severity: 'warning',
  description: 'a rule no test in `tests` or `sshTests` exercises',
  check({ coverage, flows }) {
    return coverage.rules
      .filter((r) => r.testable && r.tests.length === 0)
      .map((r) => ({
        message: `rule is not exercised by any test`,
        path: r.path,
        hint: exampleTest(r.path, flows) ?? `add a test whose \`accept\` names a path \`${formatPath(r.path)}\` allows, so a change to it is noticed`,
      }))
  },
}

// a test a person can paste: the rule's first concrete source and destination
function exampleTest(path: readonly (string | number)[], flows: Parameters<LintRule['check']>[0]['flows']): string | undefined {
  const key = path.join('/')
  if (path[0] === 'ssh') {
    const flow = flows.ssh.find((f) => f.rule.join('/') === key && concrete(f.src) && concrete(f.dst) && !f.user.includes(':'))
    return flow && `add e.g. \`{"src": "${flow.src}", "dst": ["${flow.dst}"], "${flow.action}": ["${flow.user}"]}\` to \`sshTests\``
  }
  const flow = flows.ip.find((f) => f.rule.join('/') === key && concrete(f.src) && concrete(f.dst) && (f.proto === 6 || f.proto === 17))
  if (!flow) return undefined
  const proto = flow.proto === 17 ? `, "proto": "udp"` : ''
  return `add e.g. \`{"src": "${flow.src}"${proto}, "accept": ["${flow.dst}:${flow.ports.first === 0 ? 1 : flow.ports.first}"]}\` to \`tests\``
}

function concrete(key: string): boolean {
  return key !== '*' && !key.startsWith('autogroup:') && !key.startsWith('user:') && !key.includes('/') && !key.includes('-')
}
