import { hasErrors, type Diagnostic, type JsonPath, type SourceLocation, type SourceMap } from '../model/diagnostic.js'
import { didYouMean } from '../model/did-you-mean.js'
import { Port } from '../model/port.js'
import type {
  AccessRule,
  Expectation,
  Policy,
  Rule,
  RawSections,
  ReachExpectation,
  Selector,
  SshAccessRule,
  SshExpectation,
} from '../model/policy.js'
import { isSelector, selectorName } from '../model/policy.js'
import { canonicalKey, compareText, orderKeys, ruleSections, sortRecord, uniqueSorted } from './canonical.js'
import type { TailnetPolicy } from './tailnet-policy.js'

/** A comment the HuJSON renderer puts above the element at `path`: the DSL call that produced it. */
export interface OriginComment {
  readonly path: JsonPath
  readonly lines: readonly string[]
}

export interface CompiledPolicy {
  /** Tailscale's policy file, in canonical order */
  readonly policy: TailnetPolicy
  /** JSON path of the output (`["grants", 0]`) → the `policy/*.ts` call that produced it */
  readonly sourceMap: SourceMap
  readonly comments: readonly OriginComment[]
  /** everything wrong with the policy as written; errors mean the output must not be applied */
  readonly diagnostics: readonly Diagnostic[]
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json }
type JsonObject = { readonly [key: string]: Json }

/** One element of a rule section before sorting: its value, the comment naming its origin, where it came from. */
interface Entry {
  readonly value: JsonObject
  readonly comments: readonly string[]
  readonly at: SourceLocation | undefined
  /** deeper positions, e.g. `accept/2` of a test, keyed by the JSON path below the entry */
  readonly inner?: ReadonlyMap<string, SourceLocation | undefined>
}

const ownerAutogroups = new Set(['member', 'tagged', 'owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor'])
const recordSections = new Set(['groups', 'tagOwners', 'hosts', 'ipsets', 'postures'])

/**
 * Compiles the DSL's policy to Tailscale's policy file: `grants` (Tailscale: "prefer grants"),
 * `ssh`, `groups`, `tagOwners`, `hosts`, and expectations as `tests`/`sshTests`, so Tailscale's own
 * server re-checks them on every apply. Output is canonical: sections and selectors sorted and
 * deduplicated, keys in a fixed order, so declaration order never changes the bytes.
 */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const diagnostics: Diagnostic[] = [...policy.diagnostics]
  const report = (d: Diagnostic) => diagnostics.push(d)
  const names = new Names(policy, report)

  const out: Record<string, unknown> = {}
  const entries = new Map<string, Entry[]>(ruleSections.map((s) => [s, []]))
  const sectionAt = new Map<string, SourceLocation | undefined>()

  const groups: Record<string, string[]> = {}
  for (const group of policy.groups) {
    for (const member of group.members) {
      if (!member.includes('@')) {
        report(error('invalid-group-member', `group \`${group.name}\` member \`${member}\` is not a login`, group.at, 'groups contain users by email; groups cannot contain other groups'))
      }
    }
    groups[`group:${group.name}`] = uniqueSorted(group.members)
    sectionAt.set(JSON.stringify(['groups', `group:${group.name}`]), group.at)
  }
  const tagOwners: Record<string, string[]> = {}
  for (const tag of policy.tags) {
    if (!/^[A-Za-z]/.test(tag.name)) {
      report(error('invalid-tag-name', `tagOwners["tag:${tag.name}"]: tag names must start with a letter, after 'tag:'`, tag.at))
    } else if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(tag.name)) {
      report(error('invalid-tag-name', `tag \`${tag.name}\` may contain only letters, digits and dashes`, tag.at))
    }
    for (const owner of tag.owners) names.checkOwner(owner, tag.name, tag.at)
    tagOwners[`tag:${tag.name}`] = uniqueSorted(tag.owners)
    sectionAt.set(JSON.stringify(['tagOwners', `tag:${tag.name}`]), tag.at)
  }
  const hosts: Record<string, string> = {}
  for (const host of policy.hosts) {
    if (/[@:\s]/.test(host.name) || host.name === '') {
      report(error('invalid-host-name', `host name \`${host.name}\` cannot contain \`@\`, \`:\` or spaces`, host.at))
    }
    if (!isAddress(host.address)) {
      report(error('invalid-address', `host \`${host.name}\` address \`${host.address}\` is not an IP address or CIDR`, host.at))
    }
    hosts[host.name] = host.address
    sectionAt.set(JSON.stringify(['hosts', host.name]), host.at)
  }
  for (const service of policy.services) names.selector(service.on, service.at)

  const { rules, expectations, dropped } = wellFormed(policy)
  for (const rule of rules) {
    switch (rule.kind) {
      case 'access':
        entries.get('grants')!.push(...grantsOf(rule, names))
        break
      case 'ssh':
        entries.get('ssh')!.push(sshRuleOf(rule, names))
        break
      case 'raw':
        mergeRaw(rule, out, entries, groups, tagOwners, hosts, report)
        break
    }
  }
  // the DSL reports malformed calls where they happen; a hand-built policy gets one error here
  if (dropped > 0 && !hasErrors(diagnostics)) {
    report(error('invalid-dsl-call', `${dropped} malformed part(s) of the policy were left out`, policy.at, 'build rules and tests with the DSL (`p.allow`, `p.expect`, ...)'))
  }

  // grants are a union of intervals, so a pair of identities can reach some port iff it reaches the
  // first port of some interval the policy opens: testing those ports proves "no access on any port"
  const firstPorts = firstPortsOf(entries.get('grants')!, entries.get('acls')!)
  const reach: ReachExpectation[] = []
  const sshTests: SshExpectation[] = []
  for (const expectation of expectations) {
    if (expectation.kind === 'reach') reach.push(expectation)
    else sshTests.push(expectation)
  }
  entries.get('tests')!.push(...testsOf(reach, names, firstPorts, report))
  entries.get('sshTests')!.push(...sshTestsOf(sshTests, names))

  if (Object.keys(groups).length > 0) out['groups'] = sortRecord(groups)
  if (Object.keys(tagOwners).length > 0) out['tagOwners'] = sortRecord(tagOwners)
  if (Object.keys(hosts).length > 0) out['hosts'] = sortRecord(hosts)
  for (const section of recordSections) {
    if (out[section] !== undefined) out[section] = sortRecord(out[section] as Record<string, unknown>)
  }

  const locations = new Map<string, SourceLocation | undefined>(sectionAt)
  const comments: OriginComment[] = []
  for (const section of ruleSections) {
    const list = canonicalEntries(entries.get(section)!, section)
    // an empty rule list denies everything; leaving `grants` out would read as "allow all" to some engines
    if (list.length === 0 && section !== 'grants') continue
    out[section] = list.map((e) => e.value)
    list.forEach((entry, index) => {
      locations.set(JSON.stringify([section, index]), entry.at)
      for (const [inner, at] of entry.inner ?? []) locations.set(JSON.stringify([section, index, ...JSON.parse(inner)]), at)
      if (entry.comments.length > 0) comments.push({ path: [section, index], lines: entry.comments })
    })
  }

  return {
    policy: orderKeys(out, 'root') as TailnetPolicy,
    sourceMap: {
      locate(path: JsonPath) {
        for (let depth = path.length; depth > 0; depth--) {
          const at = locations.get(JSON.stringify(path.slice(0, depth)))
          if (at !== undefined) return at
        }
        return policy.at
      },
    },
    comments,
    diagnostics,
  }
}

/**
 * The policy's rules and expectations with anything malformed left out (JavaScript callers and
 * hand-built policies can put anything there), so compiling never throws.
 */
function wellFormed(policy: Policy): { rules: Rule[]; expectations: Expectation[]; dropped: number } {
  let dropped = 0
  const keep = <X>(list: unknown, ok: (x: unknown) => x is X): X[] => {
    if (!Array.isArray(list)) {
      dropped++
      return []
    }
    return list.filter((x): x is X => ok(x) || (dropped++, false))
  }
  const isPort = (x: unknown): x is Port => Port.isPort(x)
  const isText = (x: unknown): x is string => typeof x === 'string'
  const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x)
  const rules: Rule[] = []
  for (const rule of Array.isArray(policy.rules) ? (policy.rules as unknown[]) : []) {
    if (!isObject(rule)) dropped++
    else if (rule['kind'] === 'access') {
      const access = rule as unknown as AccessRule
      const sources = keep(access.sources, isSelector)
      if (sources.length === 0) dropped++
      else rules.push({ ...access, sources, destinations: keep(access.destinations, isSelector), ports: keep(access.ports, isPort), routers: keep(access.routers, isText), postures: keep(access.postures, isText) })
    } else if (rule['kind'] === 'ssh') {
      const ssh = rule as unknown as SshAccessRule
      rules.push({ ...ssh, sources: keep(ssh.sources, isSelector), destinations: keep(ssh.destinations, isSelector), users: keep(ssh.users, isText), acceptedEnv: keep(ssh.acceptedEnv, isText) })
    } else if (rule['kind'] === 'raw' && isObject(rule['sections'])) rules.push(rule as unknown as RawSections)
    else dropped++
  }
  const expectations: Expectation[] = []
  for (const expectation of Array.isArray(policy.expectations) ? (policy.expectations as unknown[]) : []) {
    if (!isObject(expectation) || !isSelector(expectation['source']) || !isSelector(expectation['destination'])) dropped++
    else if (expectation['kind'] === 'reach') {
      const reach = expectation as unknown as ReachExpectation
      expectations.push({ ...reach, ports: keep(reach.ports, isPort) })
    } else if (expectation['kind'] === 'ssh') {
      const ssh = expectation as unknown as SshExpectation
      expectations.push({ ...ssh, users: keep(ssh.users, isText) })
    } else dropped++
  }
  return { rules, expectations, dropped }
}

/** Resolves DSL selectors to Tailscale's strings, reporting names that were never declared. */
class Names {
  private readonly tags: ReadonlySet<string>
  private readonly groups: ReadonlySet<string>
  private readonly hosts: ReadonlySet<string>
  private readonly services: ReadonlyMap<string, Policy['services'][number]>
  private readonly serviceNames: ReadonlySet<string>

  constructor(
    policy: Policy,
    private readonly report: (d: Diagnostic) => void,
  ) {
    this.tags = new Set(policy.tags.map((t) => t.name))
    this.groups = new Set(policy.groups.map((g) => g.name))
    this.hosts = new Set(policy.hosts.map((h) => h.name))
    this.services = new Map(policy.services.map((s) => [s.name, s]))
    this.serviceNames = new Set(this.services.keys())
  }

  service(name: string): Policy['services'][number] | undefined {
    return this.services.get(name)
  }

  /** The selector as Tailscale writes it; a service stands for the place it runs. */
  selector(selector: Selector, at: SourceLocation | undefined, check = true): string {
    switch (selector.kind) {
      case 'tag':
        if (check) this.known('tag', selector.name, this.tags, at)
        return `tag:${selector.name}`
      case 'group':
        if (check) this.known('group', selector.name, this.groups, at)
        return `group:${selector.name}`
      case 'host':
        if (check) this.known('host', selector.name, this.hosts, at)
        return selector.name
      case 'service': {
        const service = this.services.get(selector.name)
        if (service === undefined) {
          if (check) this.known('service', selector.name, this.serviceNames, at)
          return selector.name
        }
        // the service's declaration reports a bad placement once, not every rule that uses it
        return this.selector(service.on, at, false)
      }
      case 'user':
        return selector.email
      case 'address':
        return selector.address
      case 'autogroup':
        return `autogroup:${selector.name}`
      case 'any':
        return '*'
      case 'raw':
        return selector.selector
    }
  }

  tagName(name: string, at: SourceLocation | undefined): string {
    this.known('tag', name, this.tags, at)
    return `tag:${name}`
  }

  checkOwner(owner: string, tag: string, at: SourceLocation | undefined): void {
    const [prefix, ...rest] = owner.split(':')
    const name = rest.join(':')
    if (prefix === 'group' && rest.length > 0) this.known('group', name, this.groups, at)
    else if (prefix === 'tag' && rest.length > 0) this.known('tag', name, this.tags, at)
    else if (prefix === 'autogroup' && rest.length > 0) {
      if (!ownerAutogroups.has(name)) {
        this.report(error('invalid-owner', `\`${owner}\` cannot own tag \`${tag}\``, at, `tag owners may be ${[...ownerAutogroups].map((a) => `autogroup:${a}`).join(', ')}`))
      }
    } else if (!owner.includes('@')) {
      this.report(error('invalid-owner', `tag \`${tag}\` owner \`${owner}\` is not a user, group, tag or autogroup`, at, 'write `group:name`, `tag:name`, `autogroup:admin` or an email'))
    }
  }

  private known(noun: string, name: string, declared: ReadonlySet<string>, at: SourceLocation | undefined): void {
    if (declared.has(name)) return
    const suggestion = didYouMean(name, declared)
    this.report(
      error(
        `unknown-${noun}`,
        `${noun} \`${name}\` is not declared`,
        at,
        suggestion === undefined ? `declare it in \`${noun}s\`` : `did you mean \`${suggestion}\`?`,
      ),
    )
  }
}

function grantsOf(rule: AccessRule, names: Names): Entry[] {
  const sources = uniqueSorted(rule.sources.map((s) => names.selector(s, rule.at)))
  const byPorts = new Map<string, { ip: string[]; dst: string[] }>()
  for (const destination of rule.destinations) {
    const service = destination.kind === 'service' ? names.service(destination.name) : undefined
    const ports = rule.ports.length > 0 ? rule.ports : (service?.ports ?? [])
    const ip = sortPorts(ports.map(String))
    const key = ip.join(',')
    const group = byPorts.get(key) ?? { ip, dst: [] }
    group.dst.push(names.selector(destination, rule.at))
    byPorts.set(key, group)
  }
  const via = uniqueSorted(rule.routers.map((tag) => names.tagName(tag, rule.at)))
  const comment = `allow(${rule.sources.map(selectorName).join(', ')}).to(${rule.destinations.map(selectorName).join(', ')})${reasonText(rule.reason)}`
  return [...byPorts.values()].map(({ ip, dst }) => ({
    value: orderKeys(
      {
        src: sources,
        dst: uniqueSorted(dst),
        ip,
        ...(via.length > 0 ? { via } : {}),
        ...(rule.postures.length > 0 ? { srcPosture: uniqueSorted(rule.postures) } : {}),
      },
      'grants',
    ),
    comments: [comment],
    at: rule.at,
  }))
}

function sshRuleOf(rule: SshAccessRule, names: Names): Entry {
  return {
    value: orderKeys(
      {
        action: rule.action,
        src: uniqueSorted(rule.sources.map((s) => names.selector(s, rule.at))),
        dst: uniqueSorted(rule.destinations.map((s) => names.selector(s, rule.at))),
        users: uniqueSorted(rule.users),
        ...(rule.checkPeriod === undefined ? {} : { checkPeriod: rule.checkPeriod }),
        ...(rule.acceptedEnv.length > 0 ? { acceptEnv: uniqueSorted(rule.acceptedEnv) } : {}),
      },
      'ssh',
    ),
    comments: [`ssh(${rule.sources.map(selectorName).join(', ')}).to(${rule.destinations.map(selectorName).join(', ')})${rule.action === 'check' ? '.check()' : ''}${reasonText(rule.reason)}`],
    at: rule.at,
  }
}

function testsOf(
  expectations: readonly ReachExpectation[],
  names: Names,
  firstPorts: readonly number[],
  report: (d: Diagnostic) => void,
): Entry[] {
  interface Group {
    src: string
    proto: string | undefined
    accept: Map<string, SourceLocation | undefined>
    deny: Map<string, SourceLocation | undefined>
    comments: Set<string>
    at: SourceLocation | undefined
  }
  const groups = new Map<string, Group>()
  for (const expectation of expectations) {
    const { source, destination, at } = expectation
    if (!isTestSource(source)) {
      report(error('invalid-test', `a test runs as one identity, not \`${selectorName(source)}\``, at, 'expect from a tag, group, user, host or IP address'))
      continue
    }
    if (!isTestDestination(destination, names)) {
      report(error('invalid-test', `a test connects to one entity, not \`${selectorName(destination)}\``, at, 'test a tag, group, user, host, service or single IP; not `*`, an autogroup or a CIDR'))
      continue
    }
    const src = names.selector(source, at)
    const host = testHost(names.selector(destination, at))
    const service = destination.kind === 'service' ? names.service(destination.name) : undefined
    const explicit = expectation.ports.length > 0
    const ports = explicit ? expectation.ports : (service?.ports ?? [])
    const portsText = explicit ? `, ${expectation.ports.map(String).join(', ')}` : ''
    let comment = `expect(${selectorName(source)}).${expectation.allowed ? 'canReach' : 'cannotReach'}(${selectorName(destination)}${portsText})`
    const checks: { proto: string | undefined; port: number }[] = []
    if (ports.length === 0 && !expectation.allowed) {
      comment += ' on any port'
      for (const port of firstPorts) checks.push({ proto: undefined, port })
    }
    for (const port of ports) {
      if (port.protocol !== undefined && !['tcp', 'udp', 'sctp', '6', '17', '132'].includes(port.protocol)) {
        checks.push({ proto: port.protocol, port: 0 }) // kb/1337: ICMP tests use port 0
      } else if (port.all) {
        if (expectation.allowed) {
          report(error('untestable-port', `\`canReach\` cannot check \`${port}\`: Tailscale tests check single ports`, at, 'name the ports to check, e.g. Port.tcp(443)'))
          continue
        }
        for (const first of firstPorts) checks.push({ proto: port.protocol, port: first })
      } else {
        for (const n of new Set([port.first, port.last])) checks.push({ proto: port.protocol, port: n })
      }
    }
    for (const { proto, port } of checks) {
      const key = JSON.stringify([src, proto ?? null])
      const group = groups.get(key) ?? { src, proto, accept: new Map(), deny: new Map(), comments: new Set<string>(), at }
      groups.set(key, group)
      const list = expectation.allowed ? group.accept : group.deny
      const target = `${host}:${port}`
      if (!list.has(target)) list.set(target, at)
      group.comments.add(comment)
    }
  }
  return [...groups.values()].map((group) => {
    const accept = [...group.accept.keys()].sort(compareTarget)
    const deny = [...group.deny.keys()].sort(compareTarget)
    const inner = new Map<string, SourceLocation | undefined>()
    accept.forEach((d, i) => inner.set(JSON.stringify(['accept', i]), group.accept.get(d)))
    deny.forEach((d, i) => inner.set(JSON.stringify(['deny', i]), group.deny.get(d)))
    return {
      value: orderKeys(
        {
          src: group.src,
          ...(group.proto === undefined ? {} : { proto: group.proto }),
          ...(accept.length > 0 ? { accept } : {}),
          ...(deny.length > 0 ? { deny } : {}),
        },
        'tests',
      ),
      comments: [...group.comments].sort(compareText),
      at: group.at,
      inner,
    }
  })
}

// `tag:db:80` before `tag:db:443`: by host, then by port number
function compareTarget(a: string, b: string): number {
  const split = (t: string) => [t.slice(0, t.lastIndexOf(':')), Number(t.slice(t.lastIndexOf(':') + 1))] as const
  const [hostA, portA] = split(a)
  const [hostB, portB] = split(b)
  return compareText(hostA, hostB) || portA - portB
}

function sshTestsOf(expectations: readonly SshExpectation[], names: Names): Entry[] {
  const groups = new Map<string, { src: string; dst: string; users: Record<SshExpectation['outcome'], Set<string>>; comments: Set<string>; at: SourceLocation | undefined }>()
  for (const expectation of expectations) {
    const src = names.selector(expectation.source, expectation.at)
    const dst = names.selector(expectation.destination, expectation.at)
    const key = JSON.stringify([src, dst])
    const group = groups.get(key) ?? { src, dst, users: { accept: new Set(), check: new Set(), deny: new Set() }, comments: new Set(), at: expectation.at }
    groups.set(key, group)
    for (const user of expectation.users) group.users[expectation.outcome].add(user)
    const verb = { accept: 'canSsh', check: 'canSshAfterCheck', deny: 'cannotSsh' }[expectation.outcome]
    group.comments.add(`expect(${selectorName(expectation.source)}).${verb}(${selectorName(expectation.destination)})`)
  }
  return [...groups.values()].map((group) => {
    const outcome = (o: SshExpectation['outcome']) => (group.users[o].size > 0 ? { [o]: uniqueSorted(group.users[o]) } : {})
    return {
      value: orderKeys({ src: group.src, dst: [group.dst], ...outcome('accept'), ...outcome('check'), ...outcome('deny') }, 'sshTests'),
      comments: [...group.comments].sort(compareText),
      at: group.at,
    }
  })
}

function mergeRaw(
  raw: RawSections,
  out: Record<string, unknown>,
  entries: Map<string, Entry[]>,
  groups: Record<string, string[]>,
  tagOwners: Record<string, string[]>,
  hosts: Record<string, string>,
  report: (d: Diagnostic) => void,
): void {
  const declared: Record<string, Record<string, unknown>> = { groups, tagOwners, hosts }
  for (const [section, value] of Object.entries(raw.sections)) {
    if (value === undefined) continue
    if (ruleSections.includes(section)) {
      if (!Array.isArray(value)) {
        report(error('invalid-raw-section', `raw section \`${section}\` must be a list`, raw.at))
        continue
      }
      for (const item of value as unknown[]) {
        const object = item !== null && typeof item === 'object' && !Array.isArray(item)
        entries.get(section)!.push({
          value: object ? orderKeys(item as JsonObject, section) : (item as JsonObject),
          comments: ['raw'],
          at: raw.at,
        })
      }
    } else if (recordSections.has(section)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        report(error('invalid-raw-section', `raw section \`${section}\` must be an object`, raw.at))
        continue
      }
      const target = declared[section] ?? ((out[section] as Record<string, unknown> | undefined) ?? {})
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (key in target && canonicalKey(target[key]) !== canonicalKey(item)) {
          report(error('duplicate-declaration', `\`${section}\` entry \`${key}\` is given twice with different values`, raw.at, 'declare it in one place'))
          continue
        }
        target[key] = item
      }
      if (declared[section] === undefined) out[section] = target
    } else {
      if (section in out && canonicalKey(out[section]) !== canonicalKey(value)) {
        report(error('duplicate-declaration', `policy section \`${section}\` is given twice with different values`, raw.at, 'set it in one p.raw({...})'))
        continue
      }
      out[section] = value
    }
  }
}

/** Sorts a section and merges identical elements, keeping every origin in the comment. */
function canonicalEntries(list: readonly Entry[], section: string): Entry[] {
  const merged = new Map<string, Entry>()
  for (const entry of list) {
    const key = canonicalKey(entry.value)
    const seen = merged.get(key)
    if (seen === undefined) {
      merged.set(key, entry)
      continue
    }
    const first = before(entry.at, seen.at) ? entry : seen
    merged.set(key, { ...first, comments: uniqueSorted([...seen.comments, ...entry.comments]) })
  }
  const keyed = [...merged.entries()].map(([key, entry]) => ({ key: sortKey(entry.value, section) + '\u0000' + key, entry }))
  return keyed.sort((a, b) => compareText(a.key, b.key)).map((k) => k.entry)
}

// tests and grants read best grouped by their source
function sortKey(value: JsonObject, section: string): string {
  const src = value['src']
  return section === 'nodeAttrs' ? canonicalKey(value['target']) : canonicalKey(src ?? null)
}

function before(a: SourceLocation | undefined, b: SourceLocation | undefined): boolean {
  if (a === undefined) return false
  if (b === undefined) return true
  return compareText(`${a.file}\u0000${String(a.line).padStart(9, '0')}\u0000${String(a.column).padStart(9, '0')}`, `${b.file}\u0000${String(b.line).padStart(9, '0')}\u0000${String(b.column).padStart(9, '0')}`) < 0
}

function firstPortsOf(grants: readonly Entry[], acls: readonly Entry[]): number[] {
  const firsts = new Set<number>()
  const addPorts = (text: string) => {
    for (const part of text.split(',')) {
      if (part === '*') firsts.add(1)
      const n = Number(part.split('-')[0])
      if (Number.isInteger(n) && n >= 1 && n <= 65535) firsts.add(n)
    }
  }
  for (const grant of grants) {
    const ip = grant.value['ip']
    if (!Array.isArray(ip)) continue
    for (const entry of ip) {
      if (typeof entry !== 'string') continue
      const colon = entry.lastIndexOf(':')
      addPorts(colon === -1 ? entry : entry.slice(colon + 1))
    }
  }
  for (const acl of acls) {
    for (const field of ['dst', 'ports']) {
      const dst = acl.value[field]
      if (!Array.isArray(dst)) continue
      for (const entry of dst) if (typeof entry === 'string') addPorts(entry.slice(entry.lastIndexOf(':') + 1))
    }
  }
  if (firsts.size === 0) firsts.add(1)
  return [...firsts].sort((a, b) => a - b)
}

function sortPorts(ports: readonly string[]): string[] {
  const parsed = [...new Set(ports)].map((text) => ({ text, port: safeParse(text) }))
  return parsed
    .sort((a, b) => {
      const pa = a.port?.protocol ?? ''
      const pb = b.port?.protocol ?? ''
      if (pa !== pb) return compareText(pa, pb)
      return (a.port?.first ?? 0) - (b.port?.first ?? 0) || (a.port?.last ?? 0) - (b.port?.last ?? 0) || compareText(a.text, b.text)
    })
    .map((p) => p.text)
}

function safeParse(text: string): Port | undefined {
  try {
    return Port.parse(text)
  } catch {
    return undefined
  }
}

function isTestSource(selector: Selector): boolean {
  return ['tag', 'group', 'user', 'host', 'raw'].includes(selector.kind) || (selector.kind === 'address' && !selector.address.includes('/'))
}

function isTestDestination(selector: Selector, names: Names): boolean {
  if (selector.kind === 'service') {
    const on = names.service(selector.name)?.on
    return on === undefined || on.kind !== 'address' || !on.address.includes('/')
  }
  return isTestSource(selector)
}

/** `host:port` needs brackets around an IPv6 address (kb/1337). */
function testHost(host: string): string {
  return host.includes(':') && !/^(tag|group|autogroup|svc):/.test(host) ? `[${host}]` : host
}

function reasonText(reason: string | undefined): string {
  return reason === undefined ? '' : `: ${reason.replace(/\s+/g, ' ').trim()}`
}

function error(code: string, message: string, at: SourceLocation | undefined, hint?: string): Diagnostic {
  return { code, severity: 'error', message, ...(at === undefined ? {} : { at }), ...(hint === undefined ? {} : { hint }) }
}

function isAddress(text: string): boolean {
  const [ip, bits, extra] = text.split('/')
  if (extra !== undefined || ip === undefined) return false
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip)
  const version = v4 && v4.slice(1).every((o) => Number(o) <= 255) ? 4 : ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) ? 6 : 0
  if (version === 0) return false
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))
}
