import { objectsOf, strings, type IpFlow } from '../../analyze/flows.js'
import { parseHostPort, parsePorts, protocolHasPorts, type PortRange } from '../../analyze/parse/index.js'
import { formatRanges, mergeRanges, subtractRanges } from '../../analyze/port-ranges.js'
import type { LintFinding, LintRule } from '../rule.js'

export const widePortRange: LintRule = {
  id: 'wide-port-range',
  severity: 'warning',
  description: "a port range wider than the ports the destination's service listens on",
  check({ policy, flows, expand, services }) {
    // declared service ports win; otherwise the ports the tests show the destination is used on
    const declared = new Map<string, PortRange[]>()
    for (const [selector, text] of services) {
      const ports = parsePorts(text)
      if ('error' in ports) continue
      for (const e of expand.text(selector)) declared.set(e.key, mergeRanges([...(declared.get(e.key) ?? []), ...ports]))
    }
    const tested = new Map<string, PortRange[]>()
    for (const [test] of objectsOf(policy.tests)) {
      for (const dst of strings(test.accept ?? test.allow)) {
        const hostPort = parseHostPort(dst)
        if ('error' in hostPort) continue
        for (const e of expand.alias(hostPort.alias)) tested.set(e.key, mergeRanges([...(tested.get(e.key) ?? []), ...hostPort.ports]))
      }
    }
    const byRule = new Map<string, { rule: IpFlow['rule']; dst: string; ranges: PortRange[] }>()
    for (const flow of flows.ip) {
      if (!protocolHasPorts(flow.proto) || flow.ports.first === flow.ports.last || flow.dst === '*') continue
      const key = `${flow.rule.join('/')}\u0000${flow.dst}`
      const found = byRule.get(key)
      if (found) found.ranges.push(flow.ports)
      else byRule.set(key, { rule: flow.rule, dst: flow.dst, ranges: [flow.ports] })
    }
    const findings: LintFinding[] = []
    for (const { rule, dst, ranges } of byRule.values()) {
      const known = declared.get(dst) ?? tested.get(dst)
      if (!known) continue
      const opened = mergeRanges(ranges)
      if (subtractRanges(opened, known).length === 0) continue
      const source = declared.has(dst) ? 'its service listens on' : 'the tests only reach it on'
      findings.push({
        message: `rule opens \`${dst}\` on \`${formatRanges(opened)}\`, but ${source} \`${formatRanges(known)}\``,
        path: rule,
        hint: `narrow the rule to \`${formatRanges(known)}\`, or declare the service's ports under \`lint.services\` in \`tailor.config.json\``,
      })
    }
    return findings
  },
}
