import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { Diagnostic, JsonPath } from '../model/diagnostic.js'
import type { Port } from '../model/port.js'
import { DslNames, portCode, portOf, type Position } from './dsl-names.js'
import { call, chain, list, type Doc } from './layout.js'
import { renderPolicyFiles, type GeneratedFile, type Declared, type ImportedInventory, type Statement } from './render-policy-files.js'
import { literal, member, quote } from './typescript-literal.js'
import { ruleComments as ruleCommentsOf } from './rule-comments.js'
import { isAddress } from '../dsl/scope.js'

export type { GeneratedFile } from './render-policy-files.js'

export interface ImportOptions {
  /** the HuJSON text the policy was read from: its comments on rules are kept in the generated code */
  readonly text?: string
  /** the file's name as the user knows it, for the generated header comment */
  readonly source?: string
}

/** DSL source for a policy, and what went through the escape hatch. */
export interface PolicyImport {
  /** `index.ts`, `inventory.ts`, `access.ts` and (when the policy has tests) `expectations.ts`, relative to the output folder */
  readonly files: readonly GeneratedFile[]
  /** one `imported-raw` info per part written as `p.raw(...)`, with the JSON path of the original part */
  readonly raw: readonly Diagnostic[]
}

type Json = unknown
type JsonObject = Readonly<Record<string, Json>>

/**
 * Writes a valid Tailscale policy as DSL source that compiles back to the same access: tags, groups
 * and hosts become declared names, each destination with its ports becomes a service, ACLs and
 * grants become `p.allow`, SSH rules `p.ssh`, tests and sshTests expectations. Whatever the DSL
 * cannot say yet (app capabilities, node attributes, postures, a selector it has no word for) is
 * kept as `p.raw(...)`, which the compiler passes through as written, and reported. Pure: the
 * caller reads the file and writes the result.
 */
export function importPolicy(policy: TailnetPolicy, options: ImportOptions = {}): PolicyImport {
  const importer = new Importer(policy as JsonObject, options.text === undefined ? new Map() : ruleCommentsOf(options.text))
  return importer.run(options.source)
}

interface Destination {
  readonly text: string
  readonly code: string
  /** a declared tag or host, which can be a service */
  readonly serviceable: boolean
  readonly ports: readonly Port[]
}

interface AccessPlan {
  readonly comments: readonly string[]
  readonly sources: readonly string[]
  readonly destinations: readonly Destination[]
  readonly via: readonly string[]
  readonly postures: readonly string[]
  readonly because: string | undefined
}

type RulePlan = { readonly kind: 'access'; readonly plan: AccessPlan } | { readonly kind: 'statement'; readonly statement: Statement }

const declarationSections = new Set(['groups', 'tagOwners', 'hosts'])
const ruleSectionOrder = ['acls', 'grants', 'ssh'] as const
const testSections = new Set(['tests', 'sshTests'])

class Importer {
  private readonly raw: Diagnostic[] = []
  private readonly names: DslNames
  private readonly inventory: { groups: Declared<string[]>[]; tags: Declared<string[]>[]; hosts: Declared<string>[] }
  private readonly rawDeclarations: Record<string, Record<string, Json>> = {}
  private at: JsonPath = []
  private pending: { text: string; at: JsonPath }[] = []
  private readonly rawSelectors = new Map<string, JsonPath[]>()

  constructor(
    private readonly policy: JsonObject,
    private readonly comments: ReadonlyMap<string, readonly string[]>,
  ) {
    this.inventory = { groups: [], tags: [], hosts: [] }
    const groups = new Set<string>()
    for (const [key, members] of entries(policy['groups'])) {
      const name = key.startsWith('group:') ? key.slice('group:'.length) : ''
      if (name !== '' && isStringList(members) && members.every((m) => m.includes('@'))) {
        this.inventory.groups.push({ name, value: [...members], comments: this.commentsOn(['groups', key]) })
        groups.add(name)
      } else this.keepRaw('groups', key, members, 'its members are not all logins')
    }
    const hosts = new Set<string>()
    for (const [name, address] of entries(policy['hosts'])) {
      if (name !== '' && !/[@:\s]/.test(name) && typeof address === 'string' && isHostAddress(address)) {
        this.inventory.hosts.push({ name, value: address, comments: this.commentsOn(['hosts', name]) })
        hosts.add(name)
      } else this.keepRaw('hosts', name, address, 'its address is not one IP address or CIDR')
    }
    // a tag is declared when the DSL can name each of its owners; an owner that is itself a tag
    // the DSL cannot declare keeps this one raw too, until nothing changes
    const tagEntries = entries(policy['tagOwners'])
    const tags = new Set(tagEntries.filter(([key, owners]) => /^tag:[A-Za-z][A-Za-z0-9-]*$/.test(key) && isStringList(owners)).map(([key]) => key.slice(4)))
    for (let changed = true; changed; ) {
      changed = false
      for (const [key, owners] of tagEntries) {
        const name = key.slice(4)
        if (tags.has(name) && !(owners as string[]).every((owner) => isOwner(owner, tags, groups))) {
          tags.delete(name)
          changed = true
        }
      }
    }
    for (const [key, owners] of tagEntries) {
      if (tags.has(key.slice(4))) this.inventory.tags.push({ name: key.slice(4), value: [...(owners as string[])], comments: this.commentsOn(['tagOwners', key]) })
      else this.keepRaw('tagOwners', key, owners, 'the DSL cannot name the tag or one of its owners')
    }
    this.names = new DslNames(tags, groups, hosts)
  }

  run(source: string | undefined): PolicyImport {
    const plans: RulePlan[] = []
    const expectations: (TestStatement)[] = []
    const otherSections: [string, Json][] = []
    const sections = Object.keys(this.policy)
    for (const section of sections) {
      const value = this.policy[section]
      if (declarationSections.has(section) || value === undefined) continue
      if ((ruleSectionOrder as readonly string[]).includes(section)) {
        if (!Array.isArray(value)) {
          otherSections.push([section, value])
          continue
        }
        value.forEach((rule, index) => plans.push(...this.rule(section, rule, index)))
      } else if (testSections.has(section) && Array.isArray(value)) {
        value.forEach((test, index) => expectations.push(...(section === 'tests' ? this.test(test, index) : this.sshTest(test, index))))
      } else otherSections.push([section, value])
    }
    const services = assignServices(plans)
    const statements: Statement[] = []
    const declared = Object.entries(this.rawDeclarations)
    if (declared.length > 0) {
      statements.push({ comments: ['declarations the DSL cannot write yet, kept as Tailscale writes them'], doc: call('p.raw', [literal(Object.fromEntries(declared))]) })
    }
    for (const plan of plans) statements.push(...(plan.kind === 'statement' ? [plan.statement] : accessStatements(plan.plan, services)))
    if (otherSections.length > 0) {
      for (const [section] of otherSections) this.note([section], `\`${section}\` is not modelled by the DSL: kept as p.raw({ ${section} })`)
      statements.push({ comments: ['policy sections the DSL does not model yet, kept as Tailscale writes them'], doc: call('p.raw', [literal(Object.fromEntries(otherSections))]) })
    }
    // a test kept raw is a policy section, which only the rules list carries
    const rawTests = expectations.filter((e) => e.rawTest)
    if (rawTests.length > 0) {
      statements.push(...rawTests.map((t, i) => ({ comments: i === 0 ? ['tests the DSL cannot write yet; Tailscale runs them all the same', ...t.comments] : t.comments, doc: t.doc })))
    }
    const tests = expectations.filter((e) => !e.rawTest).map((e) => withServices(e, services))
    const inventory: ImportedInventory = { ...this.inventory, services: services.declarations }
    return { files: renderPolicyFiles({ inventory, rules: statements, tests, source }), raw: [...this.raw, ...this.selectorNotes()] }
  }

  // ---- rules ----

  private rule(section: string, rule: Json, index: number): RulePlan[] {
    const path: JsonPath = [section, index]
    const comments = this.comments.get(JSON.stringify(path)) ?? []
    this.begin(path)
    const translated = isObject(rule) ? (section === 'acls' ? this.acl(rule, comments) : section === 'grants' ? this.grant(rule, comments) : this.ssh(rule, comments)) : 'it is not an object'
    this.settle(typeof translated !== 'string')
    if (typeof translated !== 'string') return translated
    this.note(path, `${section}[${index}] is kept as p.raw: ${translated}`)
    const kept = comments.filter((c) => c.trim() !== 'raw' && !originPattern.test(c.trim()))
    return [{ kind: 'statement', statement: { comments: kept, doc: call('p.raw', [literal({ [section]: [rule] })]) } }]
  }

  private acl(rule: JsonObject, comments: readonly string[]): RulePlan[] | string {
    const unknown = unknownKeys(rule, ['action', 'src', 'users', 'dst', 'ports', 'proto', 'srcPosture'])
    if (unknown) return unknown
    if (rule['action'] !== 'accept') return `action \`${String(rule['action'])}\` has no DSL form`
    if ((rule['src'] !== undefined && rule['users'] !== undefined) || (rule['dst'] !== undefined && rule['ports'] !== undefined)) return 'it spells a field twice (`src`/`users`, `dst`/`ports`)'
    const src = rule['src'] ?? rule['users']
    const dst = rule['dst'] ?? rule['ports']
    if (!isStringList(src) || src.length === 0 || !isStringList(dst) || dst.length === 0) return 'its `src` or `dst` is not a list of selectors'
    const proto = rule['proto']
    if (proto !== undefined && typeof proto !== 'string') return '`proto` is not a string'
    // Tailscale accepts `*` → `autogroup:self` in an ACL but refuses it in a grant, which is what the DSL writes
    if (src.includes('*') && dst.some((d) => d.startsWith('autogroup:self:'))) return '`*` → `autogroup:self` is valid in an ACL but not in a grant'
    const sources = this.selectors(src, 'src')
    if (typeof sources === 'string') return sources
    const postures = this.postures(rule['srcPosture'])
    if (typeof postures === 'string') return postures
    // one destination listed on several ports is one destination with those ports, as in the file
    const portsByHost = new Map<string, Port[]>()
    for (const entry of dst) {
      const hostPort = splitHostPort(entry)
      if (hostPort === undefined) return `destination \`${entry}\` has no port`
      const ports = portsOf(hostPort.ports, proto)
      if (ports === undefined) return `the ports of \`${entry}\` have no DSL form`
      portsByHost.set(hostPort.host, [...(portsByHost.get(hostPort.host) ?? []), ...ports])
    }
    const destinations = [...portsByHost].map(([host, ports]) => this.destination(host, ports))
    return [{ kind: 'access', plan: { comments, sources, destinations, via: [], postures, because: becauseOf(comments) } }]
  }

  private grant(rule: JsonObject, comments: readonly string[]): RulePlan[] | string {
    if (rule['app'] !== undefined) return 'app capabilities are not modelled by the DSL'
    const unknown = unknownKeys(rule, ['src', 'dst', 'ip', 'via', 'srcPosture'])
    if (unknown) return unknown
    const { src, dst, ip } = rule
    if (!isStringList(src) || src.length === 0 || !isStringList(dst) || dst.length === 0) return 'its `src` or `dst` is not a list of selectors'
    if (!isStringList(ip) || ip.length === 0) return 'it has no `ip` ports'
    const sources = this.selectors(src, 'src')
    if (typeof sources === 'string') return sources
    const ports: Port[] = []
    for (const entry of ip) {
      const parsed = portsOf(entry.includes(':') ? entry.slice(entry.indexOf(':') + 1) : entry, entry.includes(':') ? entry.slice(0, entry.indexOf(':')) : undefined)
      if (parsed === undefined) return `port \`${entry}\` has no DSL form`
      ports.push(...parsed)
    }
    const via: string[] = []
    for (const router of rule['via'] === undefined ? [] : Array.isArray(rule['via']) ? (rule['via'] as unknown[]) : [null]) {
      if (typeof router !== 'string' || !router.startsWith('tag:') || !this.names.tags.has(router.slice(4))) return '`via` names something other than a declared tag'
      via.push(this.select(router, 'src').code)
    }
    const postures = this.postures(rule['srcPosture'])
    if (typeof postures === 'string') return postures
    const destinations = dst.map((text) => this.destination(text, ports))
    return [{ kind: 'access', plan: { comments, sources, destinations, via, postures, because: becauseOf(comments) } }]
  }

  private ssh(rule: JsonObject, comments: readonly string[]): RulePlan[] | string {
    const unknown = unknownKeys(rule, ['action', 'src', 'dst', 'users', 'checkPeriod', 'acceptEnv'])
    if (unknown) return unknown
    const action = rule['action']
    if (action !== 'accept' && action !== 'check') return `action \`${String(action)}\` has no DSL form`
    const { src, dst, users, checkPeriod, acceptEnv } = rule
    if (!isStringList(src) || src.length === 0 || !isStringList(dst) || dst.length === 0) return 'its `src` or `dst` is not a list of selectors'
    if (!isStringList(users) || users.length === 0 || users.some((u) => u.trim() === '' || u === '*')) return 'its `users` have no DSL form'
    if (checkPeriod !== undefined && (action !== 'check' || typeof checkPeriod !== 'string')) return '`checkPeriod` goes with `check` only'
    if (acceptEnv !== undefined && !isStringList(acceptEnv)) return '`acceptEnv` is not a list of names'
    const sources = this.selectors(src, 'sshSrc')
    if (typeof sources === 'string') return sources
    const destinations = this.selectors(dst, 'sshDst')
    if (typeof destinations === 'string') return destinations
    const parts: Doc[] = [call('p.ssh', sources), call('.to', destinations), call('.as', users.map(quote))]
    if (action === 'check') parts.push(call('.check', checkPeriod === undefined ? [] : [quote(checkPeriod)]))
    if (acceptEnv !== undefined && acceptEnv.length > 0) parts.push(call('.acceptEnv', acceptEnv.map(quote)))
    const because = becauseOf(comments)
    if (because !== undefined) parts.push(call('.because', [quote(because)]))
    return [{ kind: 'statement', statement: { comments: withoutBecause(comments), doc: chain(...parts) } }]
  }

  /** The selector as code; one the DSL has no name for is noted once per rule, kept only if the rule is imported. */
  private select(text: string, position: Position): { code: string; raw: boolean } {
    const selector = this.names.selector(text, position)
    if (selector.raw && !this.pending.some((p) => p.text === text)) this.pending.push({ text, at: this.at })
    return selector
  }

  /** Starts translating the part at `path`; `settle` keeps or drops the selector notes made meanwhile. */
  private begin(path: JsonPath): void {
    this.at = path
    this.pending = []
  }

  private settle(imported: boolean): void {
    if (imported) for (const { text, at } of this.pending) this.rawSelectors.set(text, [...(this.rawSelectors.get(text) ?? []), at])
    this.pending = []
  }

  /** One note per selector written raw, at its first use, naming every part that uses it. */
  private selectorNotes(): Diagnostic[] {
    return [...this.rawSelectors].map(([text, paths]) => {
      const places = paths.length <= 3 ? paths.map(formatAt).join(', ') : `${paths.slice(0, 3).map(formatAt).join(', ')} and ${paths.length - 3} more`
      return { code: 'imported-raw', severity: 'info', message: `\`${text}\` has no DSL name where it is used (${places}): written p.raw(${quote(text)})`, path: paths[0]! }
    })
  }

  private selectors(texts: readonly string[], position: Position): string[] | string {
    return texts.map((text) => this.select(text, position).code)
  }

  private destination(text: string, ports: readonly Port[]): Destination {
    const { code, raw } = this.select(text, 'dst')
    // "all ports" is never a service
    const serviceable = !raw && (code.startsWith('p.tag') || code.startsWith('p.host')) && !ports.some((p) => p.all)
    return { text, code, serviceable, ports }
  }

  private postures(value: Json): string[] | string {
    if (value === undefined) return []
    if (!isStringList(value) || value.some((p) => !p.startsWith('posture:'))) return '`srcPosture` names something other than `posture:…`'
    return value.map(quote)
  }

  // ---- tests ----

  private test(test: Json, index: number): (TestStatement)[] {
    const path: JsonPath = ['tests', index]
    const comments = withoutTestOrigins(this.comments.get(JSON.stringify(path)) ?? [])
    this.begin(path)
    const translated = isObject(test) ? this.reachTest(test, comments) : 'it is not an object'
    this.settle(typeof translated !== 'string')
    if (typeof translated !== 'string') return translated
    this.note(path, `tests[${index}] is kept as p.raw: ${translated}`)
    return [{ comments, doc: call('p.raw', [literal({ tests: [test] })]), rawTest: true }]
  }

  private reachTest(test: JsonObject, comments: readonly string[]): (TestStatement)[] | string {
    const unknown = unknownKeys(test, ['src', 'user', 'proto', 'accept', 'allow', 'deny'])
    if (unknown) return unknown
    if ((test['src'] !== undefined && test['user'] !== undefined) || (test['accept'] !== undefined && test['allow'] !== undefined)) return 'it spells a field twice (`src`/`user`, `accept`/`allow`)'
    const src = test['src'] ?? test['user']
    if (typeof src !== 'string') return 'its `src` is not a selector'
    const proto = test['proto']
    if (proto !== undefined && typeof proto !== 'string') return '`proto` is not a string'
    const source = this.select(src, 'testSrc').code
    const out: (TestStatement)[] = []
    for (const [verdict, list] of [
      ['canReach', test['accept'] ?? test['allow']],
      ['cannotReach', test['deny']],
    ] as const) {
      if (list === undefined) continue
      if (!isStringList(list)) return `its \`${verdict === 'canReach' ? 'accept' : 'deny'}\` is not a list`
      // the same destination on several ports reads as one expectation
      const byHost = new Map<string, { destination: string; text: string; ports: { port: Port; text: string }[] }>()
      for (const entry of list) {
        const hostPort = splitHostPort(entry)
        if (hostPort === undefined) return `\`${entry}\` has no port`
        const port = testPort(hostPort.ports, proto)
        if (port === undefined) return `the port of \`${entry}\` has no DSL form`
        const group = byHost.get(hostPort.host) ?? { destination: this.select(hostPort.host, 'testDst').code, text: hostPort.host, ports: [] }
        group.ports.push({ port, text: entry })
        byHost.set(hostPort.host, group)
      }
      for (const group of byHost.values()) {
        const reach: ReachPlan = { source, verdict, destination: group.destination, text: group.text, ports: group.ports.map((p) => p.port) }
        out.push({ comments: out.length === 0 ? comments : [], doc: reachDoc(reach, undefined), reach })
      }
    }
    if (out.length === 0) return 'it asserts nothing'
    return out
  }

  private sshTest(test: Json, index: number): TestStatement[] {
    const path: JsonPath = ['sshTests', index]
    const comments = withoutTestOrigins(this.comments.get(JSON.stringify(path)) ?? [])
    this.begin(path)
    const translated = isObject(test) ? this.sshExpectations(test, comments) : 'it is not an object'
    this.settle(typeof translated !== 'string')
    if (typeof translated !== 'string') return translated
    this.note(path, `sshTests[${index}] is kept as p.raw: ${translated}`)
    return [{ comments, doc: call('p.raw', [literal({ sshTests: [test] })]), rawTest: true }]
  }

  private sshExpectations(test: JsonObject, comments: readonly string[]): Statement[] | string {
    const unknown = unknownKeys(test, ['src', 'dst', 'accept', 'check', 'deny'])
    if (unknown) return unknown
    const { src, dst } = test
    if (typeof src !== 'string' || !isStringList(dst) || dst.length === 0) return 'its `src` or `dst` is not a selector'
    const source = this.select(src, 'testSrc').code
    const out: Statement[] = []
    for (const destination of dst) {
      const target = this.select(destination, 'testDst').code
      for (const [verdict, key] of [
        ['canSsh', 'accept'],
        ['canSshAfterCheck', 'check'],
        ['cannotSsh', 'deny'],
      ] as const) {
        const users = test[key]
        if (users === undefined) continue
        if (!isStringList(users) || users.some((u) => u.trim() === '' || u === '*')) return `its \`${key}\` users have no DSL form`
        if (users.length === 0) continue
        out.push({ comments: out.length === 0 ? comments : [], doc: chain(call('p.expect', [source]), call(`.${verdict}`, [target, ...users.map(quote)])) })
      }
    }
    if (out.length === 0) return 'it asserts nothing'
    return out
  }

  private commentsOn(path: JsonPath): readonly string[] {
    return this.comments.get(JSON.stringify(path)) ?? []
  }

  // ---- notes ----

  private keepRaw(section: string, key: string, value: Json, why: string): void {
    ;(this.rawDeclarations[section] ??= {})[key] = value
    this.note([section, key], `${formatAt([section, key])} is kept as p.raw: ${why}`)
  }

  private note(path: JsonPath, message: string): void {
    this.raw.push({ code: 'imported-raw', severity: 'info', message, path })
  }
}

// ---- services ----

interface Services {
  /** destination text + port key → service name */
  readonly byKey: ReadonlyMap<string, string>
  readonly declarations: ImportedInventory['services']
}

/**
 * Each destination the DSL declares (a tag or a host) together with the ports rules open on it is a
 * service, named after the destination; a destination opened on several sets of ports gets one
 * service per set, named with its ports. "All ports" is never a service.
 */
function assignServices(plans: readonly RulePlan[]): Services {
  const keysByDestination = new Map<string, { code: string; keys: Map<string, readonly Port[]> }>()
  for (const plan of plans) {
    // only a rule all of whose destinations are services is written with them; others name no service
    if (plan.kind !== 'access' || !plan.plan.destinations.every((d) => d.serviceable)) continue
    for (const destination of plan.plan.destinations) {
      const entry = keysByDestination.get(destination.text) ?? { code: destination.code, keys: new Map() }
      entry.keys.set(portKey(destination.ports), destination.ports)
      keysByDestination.set(destination.text, entry)
    }
  }
  const byKey = new Map<string, string>()
  const declarations: ImportedInventory['services'][number][] = []
  const taken = new Set<string>()
  for (const [text, { keys }] of keysByDestination) {
    const isTag = text.startsWith('tag:')
    const base = isTag ? text.slice(4) : text
    const numbers = (ports: readonly Port[]) => `${base}-${[...new Set(ports.map((p) => (p.first === p.last ? `${p.first}` : `${p.first}-${p.last}`)))].join('-')}`
    const sets = [...keys.values()]
    // named by port numbers, and by protocol too where numbers alone would name two sets alike
    const byNumbers = new Set(sets.map(numbers)).size === sets.length
    for (const [key, ports] of keys) {
      let name = keys.size === 1 ? base : byNumbers ? numbers(ports) : `${base}-${uniquePorts(ports).map((p) => String(p).replace(/[:*]+/g, '-')).join('-')}`
      for (let n = 2; taken.has(name); n++) name = `${base}-${n}`
      taken.add(name)
      byKey.set(`${text}\u0000${key}`, name)
      declarations.push({ name, on: isTag ? { tag: base } : { host: base }, ports: uniquePorts(ports).map(portCode) })
    }
  }
  return { byKey, declarations }
}

/**
 * A rule whose destinations are all services reads `.to([services])`, each on its own ports; any
 * other is one `p.allow` per set of ports (an ACL writes ports per destination, the DSL per rule).
 */
function accessStatements(plan: AccessPlan, services: Services): Statement[] {
  const named = plan.destinations.map((d) => (d.serviceable ? services.byKey.get(`${d.text}\u0000${portKey(d.ports)}`) : undefined))
  const destinationDoc = (codes: readonly string[]): Doc => (codes.length === 1 ? codes[0]! : list('[', codes, ']'))
  const tos: Doc[] = []
  if (named.every((n) => n !== undefined)) tos.push(call('.to', [destinationDoc([...new Set(named.map((n) => serviceCode(n!)))])]))
  else {
    const byPorts = new Map<string, { ports: readonly Port[]; codes: string[] }>()
    for (const d of plan.destinations) {
      const group = byPorts.get(portKey(d.ports)) ?? { ports: d.ports, codes: [] }
      group.codes.push(d.code)
      byPorts.set(portKey(d.ports), group)
    }
    for (const { ports, codes } of byPorts.values()) tos.push(call('.to', [destinationDoc(codes), ...uniquePorts(ports).map(portCode)]))
  }
  return tos.map((to, i) => {
    const parts: Doc[] = [call('p.allow', plan.sources), to]
    if (plan.via.length > 0) parts.push(call('.via', plan.via))
    if (plan.postures.length > 0) parts.push(call('.when', plan.postures))
    if (plan.because !== undefined) parts.push(call('.because', [quote(plan.because)]))
    return { comments: i === 0 ? withoutBecause(plan.comments) : [], doc: chain(...parts) }
  })
}

type TestStatement = Statement & { readonly reach?: ReachPlan; readonly rawTest?: boolean }

interface ReachPlan {
  readonly source: string
  readonly verdict: 'canReach' | 'cannotReach'
  readonly destination: string
  /** the destination as the policy writes it, to find its service */
  readonly text: string
  readonly ports: readonly Port[]
}

function withServices(statement: TestStatement, services: Services): Statement {
  return statement.reach === undefined ? statement : { comments: statement.comments, doc: reachDoc(statement.reach, services) }
}

// a test of exactly a service's one port names the service, as a person would
function reachDoc(reach: ReachPlan, services: Services | undefined): Doc {
  const service = reach.ports.length === 1 ? services?.byKey.get(`${reach.text}\u0000${portKey(reach.ports)}`) : undefined
  const args = service === undefined ? [reach.destination, ...reach.ports.map(portCode)] : [serviceCode(service)]
  return chain(call('p.expect', [reach.source]), call(`.${reach.verdict}`, args))
}

function serviceCode(name: string): string {
  return member('p.service', name)
}

function portKey(ports: readonly Port[]): string {
  return uniquePorts(ports).map(String).sort().join(',')
}

function uniquePorts(ports: readonly Port[]): Port[] {
  const seen = new Set<string>()
  return ports.filter((p) => !seen.has(String(p)) && (seen.add(String(p)), true))
}

// ---- small readers ----

/** `tag:web:80,443` → host `tag:web`, ports `80,443`; `[fd7a::1]:22` → `fd7a::1`. */
function splitHostPort(text: string): { host: string; ports: string } | undefined {
  const bracketed = /^\[([^\]]+)\](\/\d+)?:(.+)$/.exec(text)
  if (bracketed) return { host: `${bracketed[1]}${bracketed[2] ?? ''}`, ports: bracketed[3]! }
  const colon = text.lastIndexOf(':')
  if (colon <= 0 || colon === text.length - 1) return undefined
  return { host: text.slice(0, colon), ports: text.slice(colon + 1) }
}

/** `80,443` with an optional protocol → the DSL ports; undefined when one has no DSL form. */
function portsOf(text: string, proto: string | undefined): Port[] | undefined {
  const out: Port[] = []
  for (const part of text.split(',')) {
    const port = portOf(proto === undefined ? part : `${proto}:${part}`)
    if (port === undefined) return undefined
    out.push(port)
  }
  return out
}

/**
 * A test checks one port; the compiler writes it back as `host:n` with the expectation's protocol
 * as the test's `proto` (and port 0 for a protocol without ports), so only a port it writes back
 * identically is imported.
 */
function testPort(text: string, proto: string | undefined): Port | undefined {
  if (proto === undefined) return /^\d+$/.test(text) ? portOf(text) : undefined
  const port = portOf(text === '0' ? `${proto}:*` : `${proto}:${text}`)
  if (port === undefined || port.protocol !== proto) return undefined
  if (port.all) return text === '0' ? port : undefined
  return port.first === port.last && String(port.first) === text ? port : undefined
}

const ignorePattern = /^tailor-ignore\s+[a-z0-9-]+\s*:\s*\S/
// the comments `tailor build` writes on each rule it compiled: `allow(tag.web).to(service.api): why`
const originPattern = /^(?:allow|ssh)\(.*?\)\.to\(.*?\)(?:\.check\(\))?(?:: (.+))?$/
const testOriginPattern = /^expect\(.*?\)\.(?:canReach|cannotReach|canSsh|canSshAfterCheck|cannotSsh)\(.*\)(?: on any port)?$/

/**
 * The rule's reason: a lint opt-out written as a HuJSON comment (the DSL's opt-out is the reason),
 * else the reason in the origin comment of a file `tailor build` wrote.
 */
function becauseOf(comments: readonly string[]): string | undefined {
  const lines = comments.map((c) => c.trim())
  return lines.find((c) => ignorePattern.test(c)) ?? lines.map((c) => originPattern.exec(c)?.[1]).find((reason) => reason !== undefined)
}

/**
 * The comments left for a person: without the one that became the reason, and without the origin
 * comments of a compiled file, which the DSL calls now say themselves.
 */
function withoutBecause(comments: readonly string[]): readonly string[] {
  const because = becauseOf(comments)
  const index = because === undefined ? -1 : comments.findIndex((c) => c.trim() === because)
  return comments.filter((c, i) => i !== index && !originPattern.test(c.trim()) && c.trim() !== 'raw')
}

function withoutTestOrigins(comments: readonly string[]): readonly string[] {
  return comments.filter((c) => !testOriginPattern.test(c.trim()) && c.trim() !== 'raw')
}

/** `grants[3]`, `groups["group:eng"]`: a part of the policy as a person names it. */
function formatAt(path: JsonPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `[${JSON.stringify(part)}]`)).join('')
}

function unknownKeys(object: JsonObject, known: readonly string[]): string | undefined {
  const extra = Object.keys(object).filter((k) => !known.includes(k))
  return extra.length === 0 ? undefined : `the DSL does not model ${extra.map((k) => `\`${k}\``).join(', ')}`
}

function entries(value: Json): [string, Json][] {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value as JsonObject) : []
}

function isObject(value: Json): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function isStringList(value: Json): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

const ownerAutogroups = new Set(['member', 'tagged', 'owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor'])

function isOwner(owner: string, tags: ReadonlySet<string>, groups: ReadonlySet<string>): boolean {
  if (owner.startsWith('tag:')) return tags.has(owner.slice(4))
  if (owner.startsWith('group:')) return groups.has(owner.slice(6))
  if (owner.startsWith('autogroup:')) return ownerAutogroups.has(owner.slice(10))
  return owner.includes('@') && !owner.includes(':')
}

function isHostAddress(text: string): boolean {
  return /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(text) && isAddress(text)
}
