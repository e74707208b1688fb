import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { JsonPath, SourceLocation, SourceMap } from '../model/diagnostic.js'
import { canonicalJson, compareText, endpointExpander, entriesOf, flowsOf, mayContainOthers, objectsOf, principalCovers, sortedUnique, strings, type AppFlow, type EndpointExpander, type IpFlow, type PolicyFlows, type SshFlow } from './flows.js'
import { describeAccess, type ProtocolPorts } from './describe-access.js'
import { mergeRanges, rangesOverlap, subtractRanges } from './port-ranges.js'
import type { PortRange } from './parse/index.js'

/**
 * The semantic diff: what a policy change does to access, not to text. Both policies are flattened to
 * principal-level atoms ({@link flowsOf}, group memberships, tag owners, ...) and set-differenced;
 * what the head adds is `broadened`, what it drops is `narrowed`, and changes that move no access
 * (tests, renamed groups, new unused definitions) are `unchanged`. Swapping the sides swaps
 * `broadened` and `narrowed`, record for record.
 */

/** A rule or definition on one side, by JSON path; `at` when that side has a source map. */
export interface RuleRef {
  readonly path: JsonPath
  readonly at?: SourceLocation
}

export type Direction = 'broadened' | 'narrowed' | 'unchanged'

/** Who may now reach what (or no longer): one principal, one destination, the ports that changed. */
export interface FlowChange {
  readonly kind: 'flow'
  readonly direction: 'broadened' | 'narrowed'
  readonly src: string
  readonly dst: string
  /** the changed ports as a policy writes them: `22`, `tcp:80-90`, `*` */
  readonly access: string
  readonly protocols: readonly ProtocolPorts[]
  readonly posture: readonly string[]
  readonly via: readonly string[]
  /** base rules between the same two endpoints (for a narrowing: the rules that allowed it) */
  readonly base: readonly RuleRef[]
  /** head rules between the same two endpoints (for a broadening: the rules that allow it) */
  readonly head: readonly RuleRef[]
}

export interface AppChange {
  readonly kind: 'app'
  readonly direction: 'broadened' | 'narrowed'
  readonly src: string
  readonly dst: string
  readonly capability: string
  /** canonical JSON of the parameter object */
  readonly params: string
  readonly base: readonly RuleRef[]
  readonly head: readonly RuleRef[]
}

export type SshLevel = 'none' | 'check' | 'accept'

export interface SshChange {
  readonly kind: 'ssh'
  readonly direction: 'broadened' | 'narrowed'
  readonly src: string
  readonly dst: string
  readonly user: string
  readonly posture: readonly string[]
  readonly before: SshLevel
  readonly after: SshLevel
  readonly base: readonly RuleRef[]
  readonly head: readonly RuleRef[]
}

export type DefinitionKind = 'group' | 'tagOwner' | 'host' | 'autoApprover' | 'nodeAttr' | 'sshOption' | 'posture' | 'ipset' | 'test' | 'sshTest' | 'setting'

/** A change to a definition: a group member, a tag owner, a host address, an auto-approver, a test, ... */
export interface DefinitionChange {
  readonly kind: DefinitionKind
  readonly direction: Direction
  /** what changed: `group:eng`, `tag:db`, `route 10.0.0.0/8`, `test[2]` */
  readonly subject: string
  /** the element added to or removed from it: a member, an owner, an address, an assertion */
  readonly item: string
  readonly change: 'added' | 'removed' | 'renamed'
  readonly base?: RuleRef
  readonly head?: RuleRef
}

export type PolicyChange = FlowChange | AppChange | SshChange | DefinitionChange

export interface PolicyDiff {
  readonly broadened: readonly PolicyChange[]
  readonly narrowed: readonly PolicyChange[]
  /** changes that move no access: tests, renamed groups, definitions nothing uses yet */
  readonly unchanged: readonly PolicyChange[]
}

export interface DiffOptions {
  readonly baseSource?: SourceMap
  readonly headSource?: SourceMap
}

export function diffPolicies(base: TailnetPolicy, head: TailnetPolicy, options: DiffOptions = {}): PolicyDiff {
  const [baseFlows, headFlows] = changedFlows(base, head)
  const sides: Sides = {
    base: { policy: base, flows: baseFlows, expand: endpointExpander(base), ref: referTo(options.baseSource) },
    head: { policy: head, flows: headFlows, expand: endpointExpander(head), ref: referTo(options.headSource) },
  }
  const changes: PolicyChange[] = [
    ...diffIp(sides),
    ...diffApp(sides),
    ...diffSsh(sides),
    ...diffGroups(sides),
    ...diffAtoms(sides, 'tagOwner', tagOwnerAtoms, (p) => [p.tagOwners, p.groups]),
    ...diffHosts(sides),
    ...diffAtoms(sides, 'autoApprover', autoApproverAtoms, (p) => [p.autoApprovers, p.groups, p.hosts]),
    ...diffAtoms(sides, 'nodeAttr', nodeAttrAtoms, (p) => [p.nodeAttrs, p.groups, p.hosts]),
    ...diffAtoms(sides, 'sshOption', sshOptionAtoms, (p) => [p.ssh, p.groups]),
    ...diffAtoms(sides, 'posture', postureAtoms, (p) => [p.postures]),
    ...diffAtoms(sides, 'ipset', ipsetAtoms, (p) => [p.ipsets]),
    ...diffAtoms(sides, 'test', testAtoms, (p) => [p.tests]),
    ...diffAtoms(sides, 'sshTest', sshTestAtoms, (p) => [p.sshTests]),
    ...diffAtoms(sides, 'setting', settingAtoms, (p) => settingKeys.map((k) => p[k])),
  ]
  return {
    broadened: changes.filter((c) => c.direction === 'broadened'),
    narrowed: changes.filter((c) => c.direction === 'narrowed'),
    unchanged: changes.filter((c) => c.direction === 'unchanged'),
  }
}

/** True when the head allows nothing the base did not, and the base nothing the head does not. */
export function isAccessUnchanged(diff: PolicyDiff): boolean {
  return diff.broadened.length === 0 && diff.narrowed.length === 0
}

/**
 * The flows that can differ. A rule written identically on both sides, over unchanged groups, hosts
 * and IP sets, allows the same flows on both; it matters only where a changed rule allows or drops
 * something between the same two endpoints, so it is read only for those pairs. A 1% change to a
 * policy of thousands of rules then costs about 1% of flattening it.
 */
function changedFlows(base: TailnetPolicy, head: TailnetPolicy): [PolicyFlows, PolicyFlows] {
  const definitions = (p: TailnetPolicy): string => canonicalJson([p.groups ?? null, p.hosts ?? null, p.ipsets ?? null, p.defaultSrcPosture ?? null])
  if (definitions(base) !== definitions(head)) return [flowsOf(base), flowsOf(head)]
  const rulesOf = (p: TailnetPolicy): Map<string, string[]> => {
    const byText = new Map<string, string[]>()
    for (const section of ['acls', 'grants', 'ssh'] as const) {
      objectsOf<unknown>(p[section]).forEach(([rule, index]) => {
        const text = `${section}:${canonicalJson(rule)}`
        const list = byText.get(text)
        if (list) list.push(`${section}/${index}`)
        else byText.set(text, [`${section}/${index}`])
      })
    }
    return byText
  }
  const baseRules = rulesOf(base)
  const headRules = rulesOf(head)
  const shared = { base: new Set<string>(), head: new Set<string>() }
  const changed = { base: new Set<string>(), head: new Set<string>() }
  for (const [text, baseKeys] of baseRules) {
    const headKeys = headRules.get(text) ?? []
    const n = Math.min(baseKeys.length, headKeys.length)
    baseKeys.forEach((k, i) => (i < n ? shared.base : changed.base).add(k))
    headKeys.forEach((k, i) => (i < n ? shared.head : changed.head).add(k))
  }
  for (const [text, headKeys] of headRules) if (!baseRules.has(text)) for (const k of headKeys) changed.head.add(k)
  const changedBase = flowsOf(base, { rules: changed.base })
  const changedHead = flowsOf(head, { rules: changed.head })
  const pairs = new Set<string>()
  for (const flows of [changedBase, changedHead]) for (const flow of [...flows.ip, ...flows.app, ...flows.ssh]) pairs.add(flow.src + SEP + flow.dst)
  if (pairs.size === 0) return [changedBase, changedHead]
  const sharedBase = flowsOf(base, { rules: shared.base, pairs })
  const sharedHead = flowsOf(head, { rules: shared.head, pairs })
  const join = (a: PolicyFlows, b: PolicyFlows): PolicyFlows => ({ ip: [...a.ip, ...b.ip], app: [...a.app, ...b.app], ssh: [...a.ssh, ...b.ssh] })
  return [join(changedBase, sharedBase), join(changedHead, sharedHead)]
}

interface Side {
  readonly policy: TailnetPolicy
  readonly flows: PolicyFlows
  readonly expand: EndpointExpander
  readonly ref: (path: JsonPath) => RuleRef
}

interface Sides {
  readonly base: Side
  readonly head: Side
}

function referTo(source: SourceMap | undefined): (path: JsonPath) => RuleRef {
  return (path) => {
    const at = source?.locate(path)
    return at ? { path, at } : { path }
  }
}

// ---- network flows -------------------------------------------------------------------------

interface IpEntry {
  readonly src: string
  readonly dst: string
  readonly proto: number
  readonly posture: readonly string[]
  readonly via: readonly string[]
  readonly parts: { range: PortRange; rule: JsonPath }[]
  merged: PortRange[]
}

interface IpIndex {
  readonly entries: Map<string, IpEntry>
  /** entries by src, dst and protocol, whatever their conditions */
  readonly byTriple: Map<string, IpEntry[]>
  /** rules by src and dst (a rule's flows share one path array, so identity dedupes) */
  readonly byPair: Map<string, Set<JsonPath>>
  /** by protocol, entries with an endpoint that may contain others (`*`, `autogroup:member`, a prefix) */
  readonly wide: Map<number, IpEntry[]>
}

const SEP = '\u0000'

function indexIp(flows: readonly IpFlow[]): IpIndex {
  const entries = new Map<string, IpEntry>()
  const byTriple = new Map<string, IpEntry[]>()
  const byPair = new Map<string, Set<JsonPath>>()
  const wide = new Map<number, IpEntry[]>()
  for (const flow of flows) {
    const triple = flow.src + SEP + flow.dst + SEP + flow.proto
    const key = triple + SEP + flow.posture.join(',') + SEP + flow.via.join(',')
    let entry = entries.get(key)
    if (!entry) {
      entry = { src: flow.src, dst: flow.dst, proto: flow.proto, posture: flow.posture, via: flow.via, parts: [], merged: [] }
      entries.set(key, entry)
      const siblings = byTriple.get(triple)
      if (siblings) siblings.push(entry)
      else byTriple.set(triple, [entry])
      if (mayContainOthers(flow.src) || mayContainOthers(flow.dst)) {
        const list = wide.get(flow.proto)
        if (list) list.push(entry)
        else wide.set(flow.proto, [entry])
      }
    }
    entry.parts.push({ range: flow.ports, rule: flow.rule })
    const pair = flow.src + SEP + flow.dst
    const rules = byPair.get(pair)
    if (!rules) byPair.set(pair, new Set([flow.rule]))
    else rules.add(flow.rule)
  }
  for (const entry of entries.values()) entry.merged = mergeRanges(entry.parts.map((p) => p.range))
  return { entries, byTriple, byPair, wide }
}

// an unconditional flow covers a conditioned one; conditions are otherwise compared as written
function covers(outer: IpEntry, inner: IpEntry): boolean {
  const posture = outer.posture.length === 0 || outer.posture.join(',') === inner.posture.join(',')
  const via = outer.via.length === 0 || outer.via.join(',') === inner.via.join(',')
  return posture && via
}

// what the other side allows between these endpoints, or between endpoints that contain them:
// narrowing `*` to `group:eng` drops access and adds none
function uncovered(entry: IpEntry, other: IpIndex): PortRange[] {
  const triple = entry.src + SEP + entry.dst + SEP + entry.proto
  const containing = (other.wide.get(entry.proto) ?? []).filter((o) => principalCovers(o.src, entry.src) && principalCovers(o.dst, entry.dst))
  const coverers = [...(other.byTriple.get(triple) ?? []), ...containing].filter((o) => covers(o, entry))
  if (coverers.length === 0) return entry.merged
  return subtractRanges(entry.merged, mergeRanges(coverers.flatMap((c) => c.merged)))
}

function diffIp(sides: Sides): FlowChange[] {
  const base = indexIp(sides.base.flows.ip)
  const head = indexIp(sides.head.flows.ip)
  const groups = new Map<string, { direction: 'broadened' | 'narrowed'; entry: IpEntry; protocols: ProtocolPorts[]; rules: Set<JsonPath> }>()
  const collect = (direction: 'broadened' | 'narrowed', from: IpIndex, against: IpIndex): void => {
    for (const entry of from.entries.values()) {
      const ranges = uncovered(entry, against)
      if (ranges.length === 0) continue
      const key = [direction, entry.src, entry.dst, entry.posture.join(','), entry.via.join(',')].join(SEP)
      let group = groups.get(key)
      if (!group) {
        group = { direction, entry, protocols: [], rules: new Set() }
        groups.set(key, group)
      }
      group.protocols.push({ proto: entry.proto, ports: ranges })
      for (const part of entry.parts) {
        if (ranges.some((r) => rangesOverlap(r, part.range))) group.rules.add(part.rule)
      }
    }
  }
  collect('broadened', head, base)
  collect('narrowed', base, head)
  const changes: FlowChange[] = []
  for (const { direction, entry, protocols, rules } of groups.values()) {
    const pair = entry.src + SEP + entry.dst
    const own = sortPaths(dedupePaths([...rules]))
    const other = sortPaths(dedupePaths([...((direction === 'broadened' ? base : head).byPair.get(pair) ?? [])]))
    const sorted = protocols.sort((a, b) => a.proto - b.proto)
    changes.push({
      kind: 'flow',
      direction,
      src: entry.src,
      dst: entry.dst,
      access: describeAccess(sorted),
      protocols: sorted,
      posture: entry.posture,
      via: entry.via,
      base: (direction === 'broadened' ? other : own).map(sides.base.ref),
      head: (direction === 'broadened' ? own : other).map(sides.head.ref),
    })
  }
  return changes.sort(byEndpoints)
}

function byEndpoints(a: { src: string; dst: string; direction: string }, b: { src: string; dst: string; direction: string }): number {
  return compareText(a.src, b.src) || compareText(a.dst, b.dst) || compareText(a.direction, b.direction)
}

// ---- app capabilities ------------------------------------------------------------------------

function diffApp(sides: Sides): AppChange[] {
  const index = (flows: readonly AppFlow[]): Map<string, { flow: AppFlow; rules: JsonPath[] }> => {
    const map = new Map<string, { flow: AppFlow; rules: JsonPath[] }>()
    for (const flow of flows) {
      const key = [flow.src, flow.dst, flow.capability, flow.params].join(SEP)
      const found = map.get(key)
      if (!found) map.set(key, { flow, rules: [flow.rule] })
      else if (!found.rules.some((r) => samePath(r, flow.rule))) found.rules.push(flow.rule)
    }
    return map
  }
  const base = index(sides.base.flows.app)
  const head = index(sides.head.flows.app)
  const changes: AppChange[] = []
  const emit = (direction: 'broadened' | 'narrowed', from: typeof base, against: typeof base): void => {
    for (const [key, { flow, rules }] of from) {
      if (against.has(key)) continue
      const refs = sortPaths(rules)
      changes.push({
        kind: 'app',
        direction,
        src: flow.src,
        dst: flow.dst,
        capability: flow.capability,
        params: flow.params,
        base: direction === 'narrowed' ? refs.map(sides.base.ref) : [],
        head: direction === 'broadened' ? refs.map(sides.head.ref) : [],
      })
    }
  }
  emit('broadened', head, base)
  emit('narrowed', base, head)
  return changes.sort((a, b) => byEndpoints(a, b) || compareText(a.capability, b.capability) || compareText(a.params, b.params))
}

// ---- ssh ---------------------------------------------------------------------------------------

/** Check wins where accept and check rules both match (Tailscale applies the most restrictive). */
function effectiveSsh(flows: readonly SshFlow[]): Map<string, { flow: SshFlow; level: SshLevel; rules: JsonPath[] }> {
  const map = new Map<string, { flow: SshFlow; level: SshLevel; rules: JsonPath[] }>()
  for (const flow of flows) {
    const key = [flow.src, flow.dst, flow.user, flow.posture.join(',')].join(SEP)
    const found = map.get(key)
    if (!found) {
      map.set(key, { flow, level: flow.action, rules: [flow.rule] })
      continue
    }
    if (flow.action === 'check') found.level = 'check'
    if (!found.rules.some((r) => samePath(r, flow.rule))) found.rules.push(flow.rule)
  }
  return map
}

const sshRank: Record<SshLevel, number> = { none: 0, check: 1, accept: 2 }

function diffSsh(sides: Sides): SshChange[] {
  const base = effectiveSsh(sides.base.flows.ssh)
  const head = effectiveSsh(sides.head.flows.ssh)
  const changes: SshChange[] = []
  for (const key of new Set([...base.keys(), ...head.keys()])) {
    const before = base.get(key)
    const after = head.get(key)
    const from: SshLevel = before?.level ?? 'none'
    const to: SshLevel = after?.level ?? 'none'
    if (from === to) continue
    const flow = (after ?? before)!.flow
    changes.push({
      kind: 'ssh',
      direction: sshRank[to] > sshRank[from] ? 'broadened' : 'narrowed',
      src: flow.src,
      dst: flow.dst,
      user: flow.user,
      posture: flow.posture,
      before: from,
      after: to,
      base: sortPaths(before?.rules ?? []).map(sides.base.ref),
      head: sortPaths(after?.rules ?? []).map(sides.head.ref),
    })
  }
  return changes.sort((a, b) => byEndpoints(a, b) || compareText(a.user, b.user))
}

// ---- definitions ---------------------------------------------------------------------------------

/** One element of a definition; an atom in the head only is a broadening when `grants` says so. */
interface Atom {
  readonly subject: string
  readonly item: string
  readonly path: JsonPath
  /** what adding this atom does to access */
  readonly effect: 'broadens' | 'narrows' | 'none'
}

function diffAtoms(sides: Sides, kind: DefinitionKind, atomsOf: (side: Side) => Atom[], inputs: (policy: TailnetPolicy) => unknown[]): DefinitionChange[] {
  // the sections these atoms are drawn from, unchanged as text, cannot differ (50,000 tests cost a second to flatten)
  if (JSON.stringify(inputs(sides.base.policy)) === JSON.stringify(inputs(sides.head.policy))) return []
  const index = (atoms: Atom[]): Map<string, Atom> => new Map(atoms.map((a) => [a.subject + SEP + a.item, a]))
  const base = index(atomsOf(sides.base))
  const head = index(atomsOf(sides.head))
  const changes: DefinitionChange[] = []
  for (const [key, atom] of head) {
    if (!base.has(key)) changes.push({ kind, direction: atomDirection(atom.effect, 'added'), subject: atom.subject, item: atom.item, change: 'added', head: sides.head.ref(atom.path) })
  }
  for (const [key, atom] of base) {
    if (!head.has(key)) changes.push({ kind, direction: atomDirection(atom.effect, 'removed'), subject: atom.subject, item: atom.item, change: 'removed', base: sides.base.ref(atom.path) })
  }
  return changes.sort(byDefinition)
}

function atomDirection(effect: Atom['effect'], change: 'added' | 'removed'): Direction {
  if (effect === 'none') return 'unchanged'
  return (effect === 'broadens') === (change === 'added') ? 'broadened' : 'narrowed'
}

function byDefinition(a: DefinitionChange, b: DefinitionChange): number {
  return compareText(a.subject, b.subject) || compareText(a.item, b.item) || compareText(a.change, b.change)
}

function diffGroups(sides: Sides): DefinitionChange[] {
  const members = (side: Side): Map<string, string[]> =>
    new Map(entriesOf(side.policy.groups).map(([name]) => name).map((name) => [name, sortedUnique(side.expand.text(name).map((e) => e.key))]))
  const base = members(sides.base)
  const head = members(sides.head)
  const changes: DefinitionChange[] = []
  const renamedFrom = new Set<string>()
  const renamedTo = new Set<string>()
  const onlyBase = [...base.keys()].filter((g) => !head.has(g)).sort(compareText)
  const onlyHead = [...head.keys()].filter((g) => !base.has(g)).sort(compareText)
  for (const from of onlyBase) {
    const to = onlyHead.find((g) => !renamedTo.has(g) && base.get(from)!.join(SEP) === head.get(g)!.join(SEP))
    if (to === undefined) continue
    renamedFrom.add(from)
    renamedTo.add(to)
    changes.push({ kind: 'group', direction: 'unchanged', subject: from, item: to, change: 'renamed', base: sides.base.ref(['groups', from]), head: sides.head.ref(['groups', to]) })
  }
  for (const [name, after] of head) {
    const before = base.get(name)
    if (before === undefined) {
      if (!renamedTo.has(name)) changes.push({ kind: 'group', direction: 'unchanged', subject: name, item: '', change: 'added', head: sides.head.ref(['groups', name]) })
      continue
    }
    for (const member of after) {
      if (!before.includes(member)) changes.push({ kind: 'group', direction: 'broadened', subject: name, item: member, change: 'added', base: sides.base.ref(['groups', name]), head: sides.head.ref(['groups', name]) })
    }
    for (const member of before) {
      if (!after.includes(member)) changes.push({ kind: 'group', direction: 'narrowed', subject: name, item: member, change: 'removed', base: sides.base.ref(['groups', name]), head: sides.head.ref(['groups', name]) })
    }
  }
  for (const name of onlyBase) {
    if (!renamedFrom.has(name)) changes.push({ kind: 'group', direction: 'unchanged', subject: name, item: '', change: 'removed', base: sides.base.ref(['groups', name]) })
  }
  return changes.sort(byDefinition)
}

function tagOwnerAtoms(side: Side): Atom[] {
  return entriesOf(side.policy.tagOwners).flatMap(([tag, value]) => {
    const owners = strings(value)
    // `[]` is shorthand for the admins (who may apply any tag anyway)
    const keys = owners.length === 0 ? ['autogroup:admin'] : sortedUnique(owners.flatMap((o) => side.expand.text(o).map((e) => e.key)))
    return keys.map((owner) => ({ subject: tag, item: owner, path: ['tagOwners', tag], effect: 'broadens' as const }))
  })
}

function diffHosts(sides: Sides): DefinitionChange[] {
  const base = new Map(entriesOf(sides.base.policy.hosts))
  const head = new Map(entriesOf(sides.head.policy.hosts))
  const changes: DefinitionChange[] = []
  const address = (side: Side, name: string): string => side.expand.text(name).map((e) => e.key).join(',') || canonicalJson(new Map(entriesOf(side.policy.hosts)).get(name))
  for (const name of sortedUnique([...base.keys(), ...head.keys()])) {
    const inBase = base.has(name)
    const inHead = head.has(name)
    const path: JsonPath = ['hosts', name]
    if (inBase && inHead) {
      const before = address(sides.base, name)
      const after = address(sides.head, name)
      if (before === after) continue
      // a re-pointed alias takes every rule that names it somewhere new
      changes.push({ kind: 'host', direction: 'broadened', subject: name, item: after, change: 'added', base: sides.base.ref(path), head: sides.head.ref(path) })
      changes.push({ kind: 'host', direction: 'narrowed', subject: name, item: before, change: 'removed', base: sides.base.ref(path), head: sides.head.ref(path) })
    } else if (inHead) {
      changes.push({ kind: 'host', direction: 'unchanged', subject: name, item: address(sides.head, name), change: 'added', head: sides.head.ref(path) })
    } else {
      changes.push({ kind: 'host', direction: 'unchanged', subject: name, item: address(sides.base, name), change: 'removed', base: sides.base.ref(path) })
    }
  }
  return changes.sort(byDefinition)
}

function autoApproverAtoms(side: Side): Atom[] {
  const approvers = new Map(entriesOf(side.policy.autoApprovers))
  const atoms: Atom[] = []
  const add = (subject: string, list: unknown, path: JsonPath): void => {
    for (const approver of sortedUnique(strings(list).flatMap((a) => side.expand.text(a).map((e) => e.key)))) atoms.push({ subject, item: approver, path, effect: 'broadens' })
  }
  for (const [route, list] of entriesOf(approvers.get('routes'))) add(`route ${route}`, list, ['autoApprovers', 'routes', route])
  add('exit node', approvers.get('exitNode'), ['autoApprovers', 'exitNode'])
  for (const [service, list] of entriesOf(approvers.get('services'))) add(`service ${service}`, list, ['autoApprovers', 'services', service])
  return atoms
}

function nodeAttrAtoms(side: Side): Atom[] {
  return objectsOf(side.policy.nodeAttrs).flatMap(([attr, index]) => {
    const targets = sortedUnique(strings(attr.target).flatMap((t) => side.expand.text(t).map((e) => e.key)))
    const items = [
      ...strings(attr.attr),
      ...entriesOf(attr.app).flatMap(([cap, params]) => (Array.isArray(params) && params.length > 0 ? params.map((p) => `${cap} ${canonicalJson(p)}`) : [cap])),
      ...strings(attr.ipPool).map((pool) => `ipPool ${pool}`),
    ]
    return targets.flatMap((target) => items.map((item) => ({ subject: target, item, path: ['nodeAttrs', index] as JsonPath, effect: 'broadens' as const })))
  })
}

/**
 * What an ssh rule says besides who logs in where: environment variables a client may send (more
 * is broader), session recorders and their enforcement (more is narrower), and the check period.
 */
function sshOptionAtoms(side: Side): Atom[] {
  return objectsOf(side.policy.ssh).flatMap(([rule, index]) => {
    const names = (list: unknown): string => sortedUnique(strings(list).flatMap((t) => side.expand.text(t).map((e) => e.key))).join(', ')
    const subject = `${String(rule.action)} ${names(rule.src)} → ${names(rule.dst)} as ${sortedUnique(strings(rule.users)).join(', ')}`
    const path: JsonPath = ['ssh', index]
    return [
      ...strings(rule.acceptEnv).map((env) => ({ subject, item: `acceptEnv ${env}`, path, effect: 'broadens' as const })),
      ...strings(rule.recorder).map((recorder) => ({ subject, item: `recorder ${recorder}`, path, effect: 'narrows' as const })),
      ...(rule.enforceRecorder === true ? [{ subject, item: 'enforceRecorder', path, effect: 'narrows' as const }] : []),
      ...(typeof rule.checkPeriod === 'string' ? [{ subject, item: `checkPeriod ${rule.checkPeriod}`, path, effect: 'none' as const }] : []),
    ]
  })
}

function postureAtoms(side: Side): Atom[] {
  // a condition is a requirement: adding one narrows every rule that names the posture
  return entriesOf(side.policy.postures).flatMap(([name, conditions]) =>
    strings(conditions).map((condition) => ({ subject: name, item: condition.trim(), path: ['postures', name] as JsonPath, effect: 'narrows' as const })),
  )
}

function ipsetAtoms(side: Side): Atom[] {
  // only sets with `remove` stay named in flows; their definitions are compared here as written
  return entriesOf(side.policy.ipsets)
    .map(([name, entries]): [string, string[]] => [name, strings(entries)])
    .filter(([, entries]) => entries.some((e) => e.trim().startsWith('remove ')))
    .flatMap(([name, entries]) => [{ subject: name, item: entries.map((e) => e.trim()).join('; '), path: ['ipsets', name] as JsonPath, effect: 'none' as const }])
}

function testAtoms(side: Side): Atom[] {
  return objectsOf(side.policy.tests).flatMap(([test, index]) => {
    const src = String(test.src ?? test.user ?? '')
    const proto = test.proto === undefined ? '' : ` ${String(test.proto)}`
    const path: JsonPath = ['tests', index]
    return [
      ...strings(test.accept ?? test.allow).map((dst) => ({ subject: `${src}${proto}`, item: `accept ${dst}`, path, effect: 'none' as const })),
      ...strings(test.deny).map((dst) => ({ subject: `${src}${proto}`, item: `deny ${dst}`, path, effect: 'none' as const })),
    ]
  })
}

function sshTestAtoms(side: Side): Atom[] {
  return objectsOf(side.policy.sshTests).flatMap(([test, index]) => {
    const path: JsonPath = ['sshTests', index]
    return strings(test.dst).flatMap((dst) =>
      (['accept', 'check', 'deny'] as const).flatMap((verdict) => strings(test[verdict]).map((user) => ({ subject: `${String(test.src)} → ${dst}`, item: `${verdict} ${user}`, path, effect: 'none' as const }))),
    )
  })
}

const settingKeys = ['derpMap', 'disableIPv4', 'randomizeClientPort', 'OneCGNATRoute', 'attrConfig', 'defaultSrcPosture'] as const

function settingAtoms(side: Side): Atom[] {
  return settingKeys.flatMap((key) => {
    const value = side.policy[key]
    return value === undefined ? [] : [{ subject: key, item: canonicalJson(value), path: [key], effect: 'none' as const }]
  })
}

// ---- helpers -----------------------------------------------------------------------------------

function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i])
}

function dedupePaths(paths: readonly JsonPath[]): JsonPath[] {
  const seen = new Set<string>()
  return paths.filter((p) => {
    const key = p.join('/')
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function sortPaths(paths: readonly JsonPath[]): JsonPath[] {
  return [...paths].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i]!
      const y = b[i]!
      if (x === y) continue
      if (typeof x === 'number' && typeof y === 'number') return x - y
      return compareText(String(x), String(y))
    }
    return a.length - b.length
  })
}
