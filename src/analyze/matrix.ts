import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { JsonPath, SourceLocation, SourceMap } from '../model/diagnostic.js'
import { coverageOf } from './coverage.js'
import { describeAccess, type ProtocolPorts } from './describe-access.js'
import { compareText, entriesOf, flowsOf, hostNamesOf, objectsOf, sortedUnique, strings } from './flows.js'
import type { PortRange } from './parse/index.js'
import { mergeRanges } from './port-ranges.js'

/**
 * Who can reach what: principals (after group and host expansion) × destinations, with the ports,
 * ssh logins and app capabilities between each pair, and the rules that allow them. The same flows
 * as `diff`, laid out for reading rather than comparing.
 */
export interface AccessMatrix {
  readonly sources: readonly string[]
  readonly destinations: readonly string[]
  /** only the pairs with some access, sorted by source then destination */
  readonly cells: readonly MatrixCell[]
  readonly rules: readonly RuleDetail[]
  /** host aliases by the address they stand for, so a reader sees `nas` rather than `192.168.1.20` */
  readonly hostNames: Readonly<Record<string, readonly string[]>>
}

export interface MatrixCell {
  readonly src: string
  readonly dst: string
  /** network access in the policy's notation (`22`, `tcp:443`, `*`), `''` when there is none */
  readonly access: string
  readonly protocols: readonly ProtocolPorts[]
  /** `root (check)`, `ubuntu (accept)` */
  readonly ssh: readonly string[]
  readonly app: readonly string[]
  /** some of the access needs a device posture or a particular router */
  readonly conditional: boolean
  readonly rules: readonly JsonPath[]
}

export interface RuleDetail {
  readonly path: JsonPath
  readonly at?: SourceLocation
  /** the rule as written: `group:eng → tag:db: tcp:5432` */
  readonly text: string
  /** how many principal pairs it allows */
  readonly pairs: number
  readonly tests: readonly JsonPath[]
}

export function matrixOf(policy: TailnetPolicy, source?: SourceMap): AccessMatrix {
  const flows = flowsOf(policy)
  const cells = new Map<string, { src: string; dst: string; ranges: Map<number, PortRange[]>; ssh: Map<string, string>; app: Set<string>; conditional: boolean; rules: Map<string, JsonPath> }>()
  const cell = (src: string, dst: string) => {
    const key = `${src}\u0000${dst}`
    let found = cells.get(key)
    if (!found) {
      found = { src, dst, ranges: new Map(), ssh: new Map(), app: new Set(), conditional: false, rules: new Map() }
      cells.set(key, found)
    }
    return found
  }
  for (const flow of flows.ip) {
    const c = cell(flow.src, flow.dst)
    const list = c.ranges.get(flow.proto)
    if (list) list.push(flow.ports)
    else c.ranges.set(flow.proto, [flow.ports])
    if (flow.posture.length > 0 || flow.via.length > 0) c.conditional = true
    c.rules.set(flow.rule.join('/'), flow.rule)
  }
  for (const flow of flows.ssh) {
    const c = cell(flow.src, flow.dst)
    // check wins where both match, as Tailscale applies the most restrictive rule
    if (c.ssh.get(flow.user) !== 'check') c.ssh.set(flow.user, flow.action)
    c.rules.set(flow.rule.join('/'), flow.rule)
  }
  for (const flow of flows.app) {
    const c = cell(flow.src, flow.dst)
    c.app.add(flow.capability)
    c.rules.set(flow.rule.join('/'), flow.rule)
  }
  const sorted = [...cells.values()].sort((a, b) => compareText(a.src, b.src) || compareText(a.dst, b.dst))
  const pairs = new Map<string, number>()
  const result: MatrixCell[] = sorted.map((c) => {
    const protocols = [...c.ranges].sort(([a], [b]) => a - b).map(([proto, ranges]) => ({ proto, ports: mergeRanges(ranges) }))
    const rules = [...c.rules.values()]
    for (const rule of c.rules.keys()) pairs.set(rule, (pairs.get(rule) ?? 0) + 1)
    return {
      src: c.src,
      dst: c.dst,
      access: describeAccess(protocols),
      protocols,
      ssh: [...c.ssh].sort(([a], [b]) => compareText(a, b)).map(([user, action]) => `${user} (${action})`),
      app: [...c.app].sort(compareText),
      conditional: c.conditional,
      rules,
    }
  })
  const coverage = new Map(coverageOf(policy, source).rules.map((r) => [r.path.join('/'), r]))
  const rules: RuleDetail[] = []
  const detail = (path: JsonPath, text: string): void => {
    const covered = coverage.get(path.join('/'))
    rules.push({ path, ...(covered?.at ? { at: covered.at } : {}), text, pairs: pairs.get(path.join('/')) ?? 0, tests: covered?.tests ?? [] })
  }
  for (const [acl, i] of objectsOf(policy.acls)) detail(['acls', i], `${strings(acl.src ?? acl.users).join(', ')} → ${strings(acl.dst ?? acl.ports).join(', ')}${typeof acl.proto === 'string' ? ` (${acl.proto})` : ''}`)
  for (const [grant, i] of objectsOf(policy.grants)) {
    const what = [...strings(grant.ip), ...entriesOf(grant.app).map(([c]) => `app ${c}`)].join(', ')
    detail(['grants', i], `${strings(grant.src).join(', ')} → ${strings(grant.dst).join(', ')}: ${what}`)
  }
  for (const [rule, i] of objectsOf(policy.ssh)) detail(['ssh', i], `ssh ${String(rule.action)}: ${strings(rule.src).join(', ')} → ${strings(rule.dst).join(', ')} as ${strings(rule.users).join(', ')}`)
  const hostNames = hostNamesOf(policy)
  return {
    sources: sortedUnique(result.map((c) => c.src)),
    destinations: sortedUnique(result.map((c) => c.dst)),
    cells: result,
    rules,
    hostNames,
  }
}
