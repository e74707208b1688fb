import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { JsonPath, SourceLocation, SourceMap } from '../model/diagnostic.js'
import { compareText, endpointExpander, flowsOf, mayContainOthers, objectsOf, principalCovers, strings, type IpFlow, type SshFlow } from './flows.js'
import { parseHostPort, parseProtocol, TCP, UDP } from './parse/index.js'

/**
 * Which rules the policy's own `tests` and `sshTests` exercise: a rule is exercised when some test's
 * `accept` names a source, destination, protocol and port the rule allows (sshTests: a login the
 * rule allows). A rule no test exercises can be broadened or deleted without any test noticing.
 * Grants that carry only `app` capabilities are not network access, which tests cannot assert;
 * they are listed as untestable and left out of the ratio.
 */

export interface RuleCoverage {
  readonly path: JsonPath
  readonly at?: SourceLocation
  /** the test entries that exercise this rule (`["tests", 2]`, `["sshTests", 0]`) */
  readonly tests: readonly JsonPath[]
  readonly testable: boolean
}

export interface CoverageReport {
  readonly rules: readonly RuleCoverage[]
  readonly covered: number
  /** testable rules */
  readonly total: number
}

export function coverageOf(policy: TailnetPolicy, source?: SourceMap): CoverageReport {
  const flows = flowsOf(policy)
  const expand = endpointExpander(policy)
  // rule → the test entries that exercise it, keyed `tests/3`; a popular rule is hit by thousands
  const hits = new Map<string, Map<string, JsonPath>>()
  const hit = (rule: JsonPath, test: JsonPath): void => {
    const key = rule.join('/')
    const tests = hits.get(key)
    if (!tests) hits.set(key, new Map([[test.join('/'), test]]))
    else tests.set(test.join('/'), test)
  }

  // flows by destination; the few whose destination may contain others are tried for every test
  const byDst = new Map<string, IpFlow[]>()
  const wide: IpFlow[] = []
  const self: IpFlow[] = []
  for (const flow of flows.ip) {
    if (flow.dst === 'autogroup:self') self.push(flow)
    else if (mayContainOthers(flow.dst)) wide.push(flow)
    else {
      const list = byDst.get(flow.dst)
      if (list) list.push(flow)
      else byDst.set(flow.dst, [flow])
    }
  }
  for (const [test, index] of objectsOf(policy.tests)) {
    const path: JsonPath = ['tests', index]
    const sources = expand.text(String(test.src ?? test.user ?? '')).map((e) => e.key)
    const protocols = test.proto === undefined ? [TCP, UDP] : protocolOf(test.proto)
    for (const dstText of strings(test.accept ?? test.allow)) {
      const hostPort = parseHostPort(dstText)
      if ('error' in hostPort || hostPort.ports.length !== 1) continue
      const port = hostPort.ports[0]!.first
      const destinations = expand.alias(hostPort.alias).map((e) => e.key)
      const tryFlows = (flows: readonly IpFlow[]): void => {
        for (const flow of flows) if (allowsIp(flow, sources, destinations, protocols, port)) hit(flow.rule, path)
      }
      for (const d of destinations) tryFlows(byDst.get(d) ?? [])
      tryFlows(wide)
      if (destinations.some((d) => sources.includes(d))) tryFlows(self)
    }
  }

  const sshByDst = new Map<string, SshFlow[]>()
  const sshWide: SshFlow[] = []
  for (const flow of flows.ssh) {
    if (flow.dst === 'autogroup:self' || mayContainOthers(flow.dst)) sshWide.push(flow)
    else {
      const list = sshByDst.get(flow.dst)
      if (list) list.push(flow)
      else sshByDst.set(flow.dst, [flow])
    }
  }
  for (const [test, index] of objectsOf(policy.sshTests)) {
    const path: JsonPath = ['sshTests', index]
    const sources = expand.text(String(test.src)).map((e) => e.key)
    const destinations = strings(test.dst).flatMap((d) => expand.text(d).map((e) => e.key))
    const logins = [...strings(test.accept), ...strings(test.check)]
    const candidates = [...destinations.flatMap((d) => sshByDst.get(d) ?? []), ...sshWide]
    for (const flow of candidates) {
      if (logins.some((login) => allowsSsh(flow, sources, destinations, login))) hit(flow.rule, path)
    }
  }

  const rules: RuleCoverage[] = []
  const add = (path: JsonPath, testable: boolean): void => {
    const at = source?.locate(path)
    const tests = [...(hits.get(path.join('/'))?.values() ?? [])].sort((x, y) => compareText(String(x[0]), String(y[0])) || Number(x[1]) - Number(y[1]))
    rules.push({ path, ...(at ? { at } : {}), tests, testable })
  }
  for (const [, index] of objectsOf(policy.acls)) add(['acls', index], true)
  for (const [grant, index] of objectsOf(policy.grants)) add(['grants', index], strings(grant.ip).length > 0)
  for (const [, index] of objectsOf(policy.ssh)) add(['ssh', index], true)
  const testable = rules.filter((r) => r.testable)
  return { rules, covered: testable.filter((r) => r.tests.length > 0).length, total: testable.length }
}

function protocolOf(text: unknown): number[] {
  const proto = typeof text === 'string' ? parseProtocol(text) : undefined
  return typeof proto === 'number' ? [proto] : []
}

function allowsIp(flow: IpFlow, sources: readonly string[], destinations: readonly string[], protocols: readonly number[], port: number): boolean {
  if (!protocols.includes(flow.proto) || port < flow.ports.first || port > flow.ports.last) return false
  if (!sources.some((s) => principalCovers(flow.src, s))) return false
  // `autogroup:self` is the source's own devices: a user testing a path to themselves
  return destinations.some((d) => principalCovers(flow.dst, d) || (flow.dst === 'autogroup:self' && sources.includes(d)))
}

function allowsSsh(flow: SshFlow, sources: readonly string[], destinations: readonly string[], login: string): boolean {
  if (!sources.some((s) => principalCovers(flow.src, s))) return false
  if (!destinations.some((d) => principalCovers(flow.dst, d) || (flow.dst === 'autogroup:self' && sources.includes(d)))) return false
  if (flow.user === login) return true
  if (flow.user === 'autogroup:nonroot') return login !== 'root'
  if (flow.user.startsWith('localpart:*@')) {
    const domain = flow.user.slice('localpart:*@'.length).toLowerCase()
    return sources.some((s) => s.toLowerCase() === `${login.toLowerCase()}@${domain}`)
  }
  return false
}
