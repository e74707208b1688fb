import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { JsonPath, SourceLocation, SourceMap } from '../model/diagnostic.js'
import { endpointExpander, flowsOf, objectsOf, principalCovers, strings, type IpFlow, type SshFlow } from './flows.js'
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
  const hits = new Map<string, JsonPath[]>()
  const hit = (rule: JsonPath, test: JsonPath): void => {
    const key = rule.join('/')
    const list = hits.get(key)
    if (!list) hits.set(key, [test])
    else if (!list.some((t) => t[1] === test[1])) list.push(test)
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
      const candidates = [...destinations.flatMap((d) => byDst.get(d) ?? []), ...wide, ...(destinations.some((d) => sources.includes(d)) ? self : [])]
      for (const flow of candidates) {
        if (allowsIp(flow, sources, destinations, protocols, port)) hit(flow.rule, path)
      }
    }
  }

  for (const [test, index] of objectsOf(policy.sshTests)) {
    const path: JsonPath = ['sshTests', index]
    const sources = expand.text(String(test.src)).map((e) => e.key)
    const destinations = strings(test.dst).flatMap((d) => expand.text(d).map((e) => e.key))
    const logins = [...strings(test.accept), ...strings(test.check)]
    for (const flow of flows.ssh) {
      if (logins.some((login) => allowsSsh(flow, sources, destinations, login))) hit(flow.rule, path)
    }
  }

  const rules: RuleCoverage[] = []
  const add = (path: JsonPath, testable: boolean): void => {
    const at = source?.locate(path)
    rules.push({ path, ...(at ? { at } : {}), tests: hits.get(path.join('/')) ?? [], testable })
  }
  for (const [, index] of objectsOf(policy.acls)) add(['acls', index], true)
  for (const [grant, index] of objectsOf(policy.grants)) add(['grants', index], strings(grant.ip).length > 0)
  for (const [, index] of objectsOf(policy.ssh)) add(['ssh', index], true)
  const testable = rules.filter((r) => r.testable)
  return { rules, covered: testable.filter((r) => r.tests.length > 0).length, total: testable.length }
}

function mayContainOthers(key: string): boolean {
  return key === '*' || key.startsWith('autogroup:') || key.startsWith('user:') || /^[0-9a-f.:]+(\/[0-9]+|-[0-9a-f.:]+)$/i.test(key)
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
