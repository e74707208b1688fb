import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { JsonPath } from '../model/diagnostic.js'
import {
  allPorts,
  defaultProtocols,
  formatIp,
  parseAlias,
  parseGrantIp,
  parseHostPort,
  parseProtocol,
  protocolHasPorts,
  type Alias,
  type PortRange,
} from './parse/index.js'

/**
 * Principal-level flows: what a policy allows, flattened to atoms that do not depend on devices.
 * Groups are expanded to their members and hosts to their addresses, so renaming a group with the
 * same members changes nothing and a new member is new access. Diff, matrix, coverage and lint all
 * read policies through these atoms, so they agree on what a rule means.
 *
 * Selectors are keyed as Tailscale writes them (`tag:web`, `alice@example.com`, `autogroup:member`,
 * `*`); addresses are canonical (`10.0.0.0/8`, `100.64.0.1` for a single address). Strings that do
 * not parse are skipped: reporting them is validation's job.
 */

/** One network-layer atom: `src` may reach `dst` on `proto` at `ports`, under these conditions. */
export interface IpFlow {
  readonly src: string
  readonly dst: string
  /** IANA protocol number; a rule without a protocol yields TCP, UDP, ICMP and ICMPv6 atoms */
  readonly proto: number
  /** protocols without ports (ICMP, GRE, ...) always carry `0-65535` */
  readonly ports: PortRange
  /** posture names the source must satisfy, sorted (`defaultSrcPosture` when the rule has none) */
  readonly posture: readonly string[]
  /** routers (grant `via` tags) the traffic must pass, sorted */
  readonly via: readonly string[]
  /** the rule that allows it: `["grants", 3]` or `["acls", 0]` */
  readonly rule: JsonPath
}

/** One application-layer capability a grant gives `src` on `dst`. */
export interface AppFlow {
  readonly src: string
  readonly dst: string
  readonly capability: string
  /** the parameter object as canonical JSON (sorted keys); `null` when the grant lists none */
  readonly params: string
  readonly rule: JsonPath
}

export type SshAction = 'accept' | 'check'

/** One Tailscale SSH atom: `src` may log in to `dst` as `user`. */
export interface SshFlow {
  readonly src: string
  readonly dst: string
  readonly user: string
  readonly action: SshAction
  readonly posture: readonly string[]
  readonly rule: JsonPath
}

export interface PolicyFlows {
  readonly ip: readonly IpFlow[]
  readonly app: readonly AppFlow[]
  readonly ssh: readonly SshFlow[]
}

/** A selector after expansion: its key, and the group or host alias it came through. */
export interface Endpoint {
  readonly key: string
  readonly via?: string
}

/**
 * Which flows to draw, for callers that need only part of a policy: the differ skips rules both
 * sides share, and draws shared rules only between endpoint pairs a changed rule touches.
 */
export interface FlowSelection {
  /** `"grants/3"`-style keys of the rules to read; every rule when absent */
  readonly rules?: ReadonlySet<string>
  /** keep only flows between these endpoints (`src + "\u0000" + dst`), and those with an endpoint that may contain others */
  readonly pairs?: ReadonlySet<string>
}

export function flowsOf(policy: TailnetPolicy, selection: FlowSelection = {}): PolicyFlows {
  const expand = endpointExpander(policy)
  const wanted = (section: string, index: number): boolean => !selection.rules || selection.rules.has(`${section}/${index}`)
  const pairs = selection.pairs
  const keep = (src: string, dst: string): boolean => !pairs || pairs.has(src + '\u0000' + dst) || mayContainOthers(src) || mayContainOthers(dst)
  const ip: IpFlow[] = []
  const app: AppFlow[] = []
  const ssh: SshFlow[] = []
  const postureOf = (own: unknown): readonly string[] => sortedUnique(own === undefined ? strings(policy.defaultSrcPosture) : strings(own))

  for (const [acl, index] of objectsOf(policy.acls)) {
    if (acl.action !== 'accept' || !wanted('acls', index)) continue
    const rule: JsonPath = ['acls', index]
    const protocols = acl.proto === undefined ? defaultProtocols : protocolList(acl.proto)
    const sources = keysOf(expand, strings(acl.src ?? acl.users))
    const posture = postureOf(acl.srcPosture)
    for (const dstText of strings(acl.dst ?? acl.ports)) {
      const hostPort = parseHostPort(dstText)
      if ('error' in hostPort) continue
      for (const dst of expand.alias(hostPort.alias)) {
        for (const src of sources) if (keep(src, dst.key)) pushIp(ip, src, dst.key, protocols, hostPort.ports, posture, [], rule)
      }
    }
  }

  for (const [grant, index] of objectsOf(policy.grants)) {
    if (!wanted('grants', index)) continue
    const rule: JsonPath = ['grants', index]
    const sources = keysOf(expand, strings(grant.src))
    const destinations = keysOf(expand, strings(grant.dst))
    const posture = postureOf(grant.srcPosture)
    const via = sortedUnique(strings(grant.via))
    for (const entry of strings(grant.ip)) {
      const capability = parseGrantIp(entry)
      if ('error' in capability) continue
      const protocols = capability.protocol === undefined ? defaultProtocols : [capability.protocol]
      for (const src of sources) for (const dst of destinations) if (keep(src, dst)) pushIp(ip, src, dst, protocols, capability.ports, posture, via, rule)
    }
    for (const [capability, params] of entriesOf(grant.app).sort(([a], [b]) => compareText(a, b))) {
      const list = Array.isArray(params) ? params : []
      const values = list.length === 0 ? ['null'] : sortedUnique(list.map(canonicalJson))
      for (const src of sources) for (const dst of destinations) if (keep(src, dst)) for (const value of values) app.push({ src, dst, capability, params: value, rule })
    }
  }

  for (const [rule, index] of objectsOf(policy.ssh)) {
    const action = rule.action
    if ((action !== 'accept' && action !== 'check') || !wanted('ssh', index)) continue
    const path: JsonPath = ['ssh', index]
    const sources = keysOf(expand, strings(rule.src))
    const destinations = keysOf(expand, strings(rule.dst))
    const posture = postureOf(rule.srcPosture)
    for (const user of sortedUnique(strings(rule.users))) {
      for (const src of sources) for (const dst of destinations) if (keep(src, dst)) ssh.push({ src, dst, user, action, posture, rule: path })
    }
  }
  return { ip, app, ssh }
}

function pushIp(
  into: IpFlow[],
  src: string,
  dst: string,
  protocols: readonly number[],
  ports: readonly PortRange[],
  posture: readonly string[],
  via: readonly string[],
  rule: JsonPath,
): void {
  for (const proto of protocols) {
    if (!protocolHasPorts(proto)) {
      into.push({ src, dst, proto, ports: allPorts, posture, via, rule })
      continue
    }
    for (const range of ports) into.push({ src, dst, proto, ports: range, posture, via, rule })
  }
}

function protocolList(text: unknown): readonly number[] {
  if (typeof text !== 'string') return []
  const proto = parseProtocol(text)
  return typeof proto === 'number' ? [proto] : []
}

function keysOf(expand: EndpointExpander, selectors: readonly string[]): string[] {
  return sortedUnique(selectors.flatMap((s) => expand.text(s).map((e) => e.key)))
}

export interface EndpointExpander {
  /** every endpoint a selector string stands for (none for an empty group or a string that does not parse) */
  text(selector: string): readonly Endpoint[]
  alias(alias: Alias): readonly Endpoint[]
}

/**
 * Expands selectors against the policy's own definitions: groups to members, hosts to addresses,
 * add-only IP sets to their parts. What only the tailnet knows (autogroups, synced groups, tags'
 * devices) stays a named principal.
 */
export function endpointExpander(policy: TailnetPolicy): EndpointExpander {
  const groups = new Map(entriesOf(policy.groups).map(([name, members]) => [name, strings(members)]))
  const hosts = new Map(entriesOf(policy.hosts).flatMap(([name, address]): [string, string][] => (typeof address === 'string' ? [[name, address]] : [])))
  const ipsets = new Map(entriesOf(policy.ipsets).map(([name, entries]) => [name, strings(entries)]))
  const expanding = new Set<string>()

  const alias = (a: Alias): readonly Endpoint[] => {
    switch (a.kind) {
      case 'wildcard':
        return [{ key: '*' }]
      case 'user':
        return [{ key: a.login }]
      case 'user-domain':
      case 'tag':
      case 'service':
        return [{ key: a.text }]
      case 'autogroup':
        // the legacy plural names the same users
        return [{ key: a.name === 'members' ? 'autogroup:member' : a.text }]
      case 'group': {
        const members = groups.get(a.text)
        if (!members) return [{ key: a.text }]
        return members.flatMap((m) => {
          const member = parseAlias(m)
          if ('error' in member) return []
          return member.kind === 'group' ? [] : alias(member).map((e) => ({ key: e.key, via: a.text }))
        })
      }
      case 'host': {
        const address = hosts.get(a.name)
        const parsed = address === undefined ? undefined : parseAlias(address)
        if (!parsed || 'error' in parsed || parsed.kind !== 'prefix') return [{ key: a.name }]
        return alias(parsed).map((e) => ({ key: e.key, via: a.name }))
      }
      case 'prefix':
        return [{ key: a.prefix.bits === (a.prefix.family === 4 ? 32 : 128) ? formatIp(a.prefix.family, a.prefix.first) : a.prefix.text }]
      case 'ip-range':
        return [{ key: `${formatIp(a.range.family, a.range.first)}-${formatIp(a.range.family, a.range.last)}` }]
      case 'ipset':
        return ipset(a.text)
    }
  }

  const ipset = (name: string): readonly Endpoint[] => {
    const entries = ipsets.get(name)
    // removals need address arithmetic; such a set stays one named principal and its definition is diffed
    if (!entries || expanding.has(name) || entries.some((e) => e.trim().startsWith('remove '))) return [{ key: name }]
    expanding.add(name)
    const parts = entries.flatMap((entry) => {
      const target = entry.trim().replace(/^add\s+/, '')
      const parsed = parseAlias(target)
      return 'error' in parsed ? [] : alias(parsed).map((e) => ({ key: e.key, via: name }))
    })
    expanding.delete(name)
    return parts
  }

  // policies repeat the same few selectors across thousands of rules
  const cache = new Map<string, readonly Endpoint[]>()
  const text = (selector: string): readonly Endpoint[] => {
    let found = cache.get(selector)
    if (!found) {
      const parsed = parseAlias(selector)
      found = 'error' in parsed ? [] : alias(parsed)
      cache.set(selector, found)
    }
    return found
  }
  return { text, alias }
}

/**
 * The string entries of an array, or none: flows are also drawn from policies that failed validation
 * (a live file, a half-edited branch), so a wrong shape drops that part instead of throwing.
 */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** The entries of a JSON object, or none. */
export function entriesOf(value: unknown): [string, unknown][] {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : []
}

/** The objects of an array with their indexes, or none. */
export function objectsOf<T>(value: readonly T[] | undefined): [T, number][] {
  return Array.isArray(value) ? value.flatMap((v, i): [T, number][] => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [[v, i]] : [])) : []
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText)
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** JSON with object keys sorted, so equal parameter objects compare equal as text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareText(a, b))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Host aliases by the address key they expand to (`{"192.168.1.20": ["nas"]}`), for labels. */
export function hostNamesOf(...policies: readonly TailnetPolicy[]): Record<string, string[]> {
  const names: Record<string, string[]> = {}
  for (const policy of policies) {
    const expand = endpointExpander(policy)
    for (const [name] of entriesOf(policy.hosts)) {
      for (const e of expand.text(name)) {
        if (e.key === name) continue
        const list = (names[e.key] ??= [])
        if (!list.includes(name)) list.push(name)
      }
    }
  }
  for (const list of Object.values(names)) list.sort(compareText)
  return names
}

/** `nas (192.168.1.20)` for an address a host alias names; other keys as they are. */
export function labelEndpoint(key: string, hostNames: Readonly<Record<string, readonly string[]>>): string {
  const names = Object.hasOwn(hostNames, key) ? hostNames[key] : undefined
  return names && names.length > 0 ? `${names.join(', ')} (${key})` : key
}

/** A JSON path as a reader would write it: `grants[3]`, `groups["group:eng"]`. */
export function formatPath(path: JsonPath): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
    .join('')
}

/**
 * True when every device `outer` can stand for is also one `inner` stands for, as far as the policy
 * alone can tell: `*` covers everything, `autogroup:member` covers user logins, `autogroup:tagged`
 * covers tags, `user:*@d` covers logins at `d`, a prefix covers the addresses inside it. Without an
 * inventory nothing else is known, so other pairs cover only when equal.
 */
export function principalCovers(outer: string, inner: string): boolean {
  if (outer === inner || outer === '*') return true
  if (outer === 'autogroup:member') return isLogin(inner)
  if (outer === 'autogroup:tagged') return inner.startsWith('tag:')
  if (outer.startsWith('user:*@')) return isLogin(inner) && inner.toLowerCase().endsWith(`@${outer.slice(7).toLowerCase()}`)
  if (!isAddressKey(outer) || !isAddressKey(inner)) return false
  const outerRange = addressRange(outer)
  const innerRange = outerRange && addressRange(inner)
  return !!outerRange && !!innerRange && outerRange.family === innerRange.family && outerRange.first <= innerRange.first && innerRange.last <= outerRange.last
}

/** Whether {@link principalCovers} may find this key covering another: `*`, member/tagged, a domain, a prefix or range. */
export function mayContainOthers(key: string): boolean {
  return key === '*' || key === 'autogroup:member' || key === 'autogroup:tagged' || key.startsWith('user:') || /^[0-9a-f.:]+(\/[0-9]+|-[0-9a-f.:]+)$/i.test(key)
}

function isAddressKey(key: string): boolean {
  return /^[0-9a-f.:/-]+$/i.test(key) && /[.:]/.test(key)
}

function isLogin(key: string): boolean {
  return key.includes('@') && !/^(tag|group|autogroup|user|svc|ipset):/.test(key)
}

const addressRanges = new Map<string, { family: 4 | 6; first: bigint; last: bigint } | undefined>()

function addressRange(key: string): { family: 4 | 6; first: bigint; last: bigint } | undefined {
  if (addressRanges.has(key)) return addressRanges.get(key)
  const range = parseAddressRange(key)
  if (addressRanges.size > 100_000) addressRanges.clear()
  addressRanges.set(key, range)
  return range
}

function parseAddressRange(key: string): { family: 4 | 6; first: bigint; last: bigint } | undefined {
  if (!/^[0-9a-fA-F.:]/.test(key)) return undefined
  const parsed = parseAlias(key)
  if ('error' in parsed) return undefined
  if (parsed.kind === 'prefix') return parsed.prefix
  if (parsed.kind === 'ip-range') return parsed.range
  return undefined
}
