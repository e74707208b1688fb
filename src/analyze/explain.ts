/**
 * Why a connection is allowed or not: `tailor explain --src X --dst Y --port 22`.
 *
 * API (stable): `explain(policy, inventory, { src, dst, port, proto? }) → Explanation`
 *
 * `src` and `dst` are a device name of the inventory, or what a test may name (user, group, tag,
 * host, address; `dst` also `svc:`). The answer is the one `tests` would give (`run-tests.ts`): a
 * group is played by a representative member, every source address must get through, and
 * without `proto` TCP or UDP will do. It lists every rule that allows the connection, by JSON path,
 * and for a denial the nearest rules: those that match in all but the fewest of source,
 * destination, protocol and port, each saying what differs.
 */
import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { Diagnostic, JsonPath } from '../model/diagnostic.js'
import type { Inventory } from '../model/inventory.js'
import { globalRules, type IpRule } from './global-rules.js'
import { formatIp, parseProtocol, protocolNumbers, TCP, UDP } from './parse/index.js'
import { reachability, type Address, type Reachability } from './reachability.js'
import { withRepresentatives } from './representatives.js'
import { internetAddresses, resolver, type Device } from './resolve.js'
import { isEndpointFailure, testHost, testSource, type Endpoint, type TestWorld } from './test-endpoints.js'

export interface ExplainQuery {
  readonly src: string
  readonly dst: string
  readonly port: number
  /** `tcp`, `udp`, `icmp`, `"6"`...; without it, TCP or UDP */
  readonly proto?: string
}

export type Aspect = 'source' | 'destination' | 'protocol' | 'port'

export interface NearMiss {
  /** the rule: `["grants", 2]` */
  readonly rule: JsonPath
  /** what the rule does not match; never empty */
  readonly differs: readonly Aspect[]
  /** e.g. "grants[2] allows `group:dev` → `tag:web` on tcp:443, not port 22" */
  readonly message: string
}

export interface Explanation {
  readonly allowed: boolean
  /** the question as understood: who, to what, how */
  readonly src: EndpointSummary | undefined
  readonly dst: EndpointSummary | undefined
  readonly port: number
  readonly protocols: readonly number[]
  /** every rule that lets some source address through, by JSON path */
  readonly allowedBy: readonly JsonPath[]
  /** source addresses that do not get through (by device name and address) */
  readonly refused: readonly string[]
  /** for a denial: the rules closest to allowing it, fewest differences first */
  readonly nearest: readonly NearMiss[]
  /** why the question could not be answered (an end that names nothing, a bad protocol) */
  readonly diagnostics: readonly Diagnostic[]
}

export interface EndpointSummary {
  readonly text: string
  readonly devices: readonly string[]
  readonly addresses: readonly string[]
}

const maxNearest = 3

export function explain(original: TailnetPolicy, actual: Inventory, query: ExplainQuery): Explanation {
  const ends = [query.src, query.dst].map((e) => deviceNamed(actual, e)?.name ?? e)
  const { policy, inventory, representatives } = withRepresentatives(original, actual, ends)
  const resolve = resolver(policy, inventory)
  const world: TestWorld = { policy, inventory, resolve, representatives }
  const diagnostics: Diagnostic[] = []
  const unanswered = (protocols: readonly number[], src?: Endpoint, dst?: Endpoint): Explanation => ({
    allowed: false,
    src: src && summary(src),
    dst: dst && summary(dst),
    port: query.port,
    protocols,
    allowedBy: [],
    refused: [],
    nearest: [],
    diagnostics,
  })

  let protocols: readonly number[] = [TCP, UDP]
  if (query.proto !== undefined && query.proto.trim() !== '') {
    const parsed = parseProtocol(query.proto)
    if (typeof parsed === 'number') protocols = [parsed]
    else diagnostics.push({ code: 'explain-protocol', severity: 'error', message: parsed.error })
  }
  if (!Number.isInteger(query.port) || query.port < 0 || query.port > 65535) {
    diagnostics.push({ code: 'explain-port', severity: 'error', message: `port ${query.port} is not a port number (0-65535)` })
  }
  const src = endpointOf(query.src, world, 'source')
  const dst = endpointOf(query.dst, world, 'destination')
  for (const [end, role] of [
    [src, 'source'],
    [dst, 'destination'],
  ] as const) {
    if (isEndpointFailure(end)) diagnostics.push({ code: `explain-${role}`, severity: 'error', message: end.error, hint: 'name a device of the inventory, a user, group, tag, host or address' })
  }
  if (isEndpointFailure(src) || isEndpointFailure(dst) || diagnostics.length > 0) {
    return unanswered(protocols, isEndpointFailure(src) ? undefined : src, isEndpointFailure(dst) ? undefined : dst)
  }

  const rules = globalRules(policy, resolve)
  const reach = reachability(rules, resolve)
  const allowing = new Set<IpRule>()
  const refused: string[] = []
  let evaluated = 0
  for (const address of src.addresses) {
    const found = allowingFrom(address, dst, protocols, query.port, reach)
    if (found === undefined) continue
    evaluated++
    found.forEach((r) => allowing.add(r))
    if (found.length === 0) refused.push(nameOf(address, reach))
  }
  const allowed = evaluated > 0 && refused.length === 0
  return {
    allowed,
    src: summary(src),
    dst: summary(dst),
    port: query.port,
    protocols,
    allowedBy: uniquePaths([...allowing].map((r) => [r.origin.section, r.origin.index])),
    refused,
    nearest: allowed ? [] : nearestRules(rules, src, dst, protocols, query.port, reach),
    diagnostics,
  }
}

function deviceNamed(inventory: Inventory, name: string): Inventory['nodes'][number] | undefined {
  return inventory.nodes.find((n) => n.name === name.trim())
}

function endpointOf(text: string, world: TestWorld, role: 'source' | 'destination'): Endpoint | { error: string } {
  const device: Device | undefined = world.resolve.devices.find((d) => d.name === text.trim())
  if (device) return { text: device.name, devices: [device], addresses: device.addresses.ranges().map((r) => ({ family: r.family, value: r.first })) }
  return role === 'source' ? testSource(text, world) : testHost(text, world)
}

/** undefined when the destination has no address of this source's family */
function allowingFrom(address: Address, dst: Endpoint, protocols: readonly number[], port: number, reach: Reachability): IpRule[] | undefined {
  if (dst.service !== undefined) return reach.allowingService(address, dst.service, protocols, port)
  const peers = dst.addresses.filter((d) => d.family === address.family)
  if (peers.length === 0) return undefined
  return [...new Set(peers.flatMap((d) => reach.allowing(address, d, protocols, port)))]
}

function nearestRules(rules: ReturnType<typeof globalRules>, src: Endpoint, dst: Endpoint, protocols: readonly number[], port: number, reach: Reachability): NearMiss[] {
  const misses: { rule: IpRule; differs: Aspect[] }[] = []
  for (const rule of rules) {
    if (rule.kind !== 'ip') continue
    const differs: Aspect[] = []
    if (!src.addresses.some((a) => rule.src.addresses.containsAddress(a.family, a.value))) differs.push('source')
    if (!reachesDestination(rule, src, dst, reach)) differs.push('destination')
    if (!rule.protocols.some((p) => protocols.includes(p))) differs.push('protocol')
    if (!rule.ports.some((r) => r.first <= port && port <= r.last)) differs.push('port')
    // a rule matching in every aspect here allows some addresses only (another is refused): it is near too
    misses.push({ rule, differs })
  }
  const fewest = Math.min(...misses.map((m) => (m.differs.length === 0 ? Infinity : m.differs.length)))
  if (!Number.isFinite(fewest) || fewest >= 4) return []
  const seen = new Set<string>()
  const out: NearMiss[] = []
  for (const { rule, differs } of misses.filter((m) => m.differs.length > 0).sort((a, b) => a.differs.length - b.differs.length)) {
    if (differs.length > fewest + 1 || out.length >= maxNearest) break
    const key = JSON.stringify([rule.origin, differs])
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ rule: [rule.origin.section, rule.origin.index], differs, message: describeMiss(rule, differs, src, dst, protocols, port) })
  }
  return out
}

function reachesDestination(rule: IpRule, src: Endpoint, dst: Endpoint, reach: Reachability): boolean {
  if (dst.service !== undefined) return rule.destinations.some((d) => d.target.kind === 'all' || d.selector === dst.service)
  // ports and protocols aside: does a destination entry hold the destination (for some source address)?
  return src.addresses.some((s) =>
    dst.addresses.some((d) =>
      rule.destinations.some((entry) => {
        switch (entry.target.kind) {
          case 'all':
            return true
          case 'internet':
            return internetAddresses.containsAddress(d.family, d.value)
          case 'addresses':
            return entry.target.entries.some((e) => e.containsAddress(d.family, d.value))
          case 'self': {
            const from = reach.deviceAt(s)
            const to = reach.deviceAt(d)
            return from?.user !== undefined && to?.user === from.user
          }
        }
      }),
    ),
  )
}

function describeMiss(rule: IpRule, differs: readonly Aspect[], src: Endpoint, dst: Endpoint, protocols: readonly number[], port: number): string {
  const path = `${rule.origin.section}[${rule.origin.index}]`
  const allows = `${path} allows \`${rule.sources.join('`, `')}\` → \`${rule.destinations.map((d) => d.selector).join('`, `')}\` on ${protocolText(rule.protocols)}:${portsText(rule.ports)}`
  const not = differs.map((aspect) => {
    switch (aspect) {
      case 'source':
        return `not \`${src.text}\``
      case 'destination':
        return `not \`${dst.text}\``
      case 'protocol':
        return `not ${protocolText(protocols)}`
      case 'port':
        return `not port ${port}`
    }
  })
  return `${allows}, ${not.join(', ')}`
}

const protocolNames = new Map(Object.entries(protocolNumbers).map(([name, n]) => [n, name] as const).reverse())

function protocolText(protocols: readonly number[]): string {
  const names = protocols.map((p) => protocolNames.get(p) ?? String(p))
  return names.length === 1 ? names[0]! : `{${names.join(',')}}`
}

function portsText(ports: IpRule['ports']): string {
  return ports.map((r) => (r.first === 0 && r.last === 65535 ? '*' : r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`)).join(',')
}

function summary(end: Endpoint): EndpointSummary {
  return { text: end.text, devices: end.devices.map((d) => d.name), addresses: end.addresses.map((a) => formatIp(a.family, a.value)) }
}

function nameOf(address: Address, reach: Reachability): string {
  const text = formatIp(address.family, address.value)
  const device = reach.deviceAt(address)
  return device ? `${device.name} (${text})` : text
}

function uniquePaths(paths: readonly JsonPath[]): JsonPath[] {
  const seen = new Set<string>()
  return paths.filter((p) => {
    const key = JSON.stringify(p)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
