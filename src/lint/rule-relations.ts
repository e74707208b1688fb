import type { IpFlow, PolicyFlows } from '../analyze/flows.js'
import { mayContainOthers, principalCovers } from '../analyze/flows.js'
import type { PortRange } from '../analyze/parse/index.js'
import { mergeRanges, rangesContain, rangesOverlap } from '../analyze/port-ranges.js'
import type { JsonPath } from '../model/diagnostic.js'

/**
 * How the network rules relate through their flows: a rule that allows exactly what another allows
 * (duplicate), a rule all of whose flows another single rule already allows (shadowed), and rules
 * that allow some of the same paths (overlap). Computed once and shared by the three lint rules.
 */
export interface RuleRelations {
  /** later rule → the first earlier rule with the same flows */
  readonly duplicates: ReadonlyMap<string, JsonPath>
  /** rule → a broader rule that allows all of its flows */
  readonly shadowed: ReadonlyMap<string, JsonPath>
  /** later rule → the earlier rules it shares a path with, and one shared path */
  readonly overlaps: ReadonlyMap<string, readonly { other: JsonPath; flow: IpFlow; ports: PortRange }[]>
}

interface Entry {
  readonly src: string
  readonly dst: string
  readonly proto: number
  readonly conditions: string
  readonly unconditional: boolean
  ranges: PortRange[]
}

interface RuleEntries {
  readonly path: JsonPath
  readonly key: string
  readonly entries: Map<string, Entry>
  signature: string
  /** entries by destination, and those whose destination may contain others */
  readonly byDst: Map<string, Entry[]>
  readonly wide: Entry[]
}

const cache = new WeakMap<PolicyFlows, RuleRelations>()

export function ruleRelations(flows: PolicyFlows): RuleRelations {
  const cached = cache.get(flows)
  if (cached) return cached
  const rules = new Map<string, RuleEntries>()
  for (const flow of flows.ip) {
    const ruleKey = flow.rule.join('/')
    let rule = rules.get(ruleKey)
    if (!rule) {
      rule = { path: flow.rule, key: ruleKey, entries: new Map(), signature: '', byDst: new Map(), wide: [] }
      rules.set(ruleKey, rule)
    }
    const conditions = `${flow.posture.join(',')}|${flow.via.join(',')}`
    const key = `${flow.src}\u0000${flow.dst}\u0000${flow.proto}\u0000${conditions}`
    const entry = rule.entries.get(key)
    if (entry) entry.ranges.push(flow.ports)
    else {
      const created: Entry = { src: flow.src, dst: flow.dst, proto: flow.proto, conditions, unconditional: conditions === '|', ranges: [flow.ports] }
      rule.entries.set(key, created)
      if (mayContainOthers(flow.dst)) rule.wide.push(created)
      else {
        const list = rule.byDst.get(flow.dst)
        if (list) list.push(created)
        else rule.byDst.set(flow.dst, [created])
      }
    }
  }
  for (const rule of rules.values()) {
    for (const entry of rule.entries.values()) entry.ranges = mergeRanges(entry.ranges)
    rule.signature = [...rule.entries].map(([k, e]) => `${k}=${e.ranges.map((r) => `${r.first}-${r.last}`).join(',')}`).sort().join('\n')
  }
  const ordered = [...rules.values()]

  const duplicates = new Map<string, JsonPath>()
  const firstBySignature = new Map<string, RuleEntries>()
  for (const rule of ordered) {
    const first = firstBySignature.get(rule.signature)
    if (first) duplicates.set(rule.key, first.path)
    else firstBySignature.set(rule.signature, rule)
  }

  // candidates: rules with an entry toward the same destination, or toward one that may contain it
  const byDst = new Map<string, RuleEntries[]>()
  const wide: RuleEntries[] = []
  for (const rule of ordered) {
    for (const dst of rule.byDst.keys()) {
      const list = byDst.get(dst)
      if (list) list.push(rule)
      else byDst.set(dst, [rule])
    }
    if (rule.wide.length > 0) wide.push(rule)
  }
  const shadowed = new Map<string, JsonPath>()
  for (const rule of ordered) {
    if (duplicates.has(rule.key)) continue
    const entries = [...rule.entries.values()]
    const first = entries[0]
    if (!first) continue
    for (const other of new Set([...(byDst.get(first.dst) ?? []), ...wide])) {
      if (other === rule || other.signature === rule.signature) continue
      if (entries.every((entry) => coveredBy(entry, other))) {
        shadowed.set(rule.key, other.path)
        break
      }
    }
  }

  const overlaps = new Map<string, { other: JsonPath; flow: IpFlow; ports: PortRange }[]>()
  const byKey = new Map<string, { rule: RuleEntries; entry: Entry }[]>()
  for (const rule of ordered) for (const [key, entry] of rule.entries) {
    const list = byKey.get(key)
    if (list) list.push({ rule, entry })
    else byKey.set(key, [{ rule, entry }])
  }
  for (const list of byKey.values()) {
    for (let j = 1; j < list.length; j++) {
      const later = list[j]!
      if (duplicates.has(later.rule.key) || shadowed.has(later.rule.key)) continue
      for (let i = 0; i < j; i++) {
        const earlier = list[i]!
        const known = overlaps.get(later.rule.key) ?? []
        if (known.some((o) => o.other.join('/') === earlier.rule.key)) continue
        const shared = firstOverlap(earlier.entry.ranges, later.entry.ranges)
        if (!shared) continue
        const e = later.entry
        known.push({ other: earlier.rule.path, flow: { src: e.src, dst: e.dst, proto: e.proto, ports: shared, posture: [], via: [], rule: later.rule.path }, ports: shared })
        overlaps.set(later.rule.key, known)
      }
    }
  }
  const relations = { duplicates, shadowed, overlaps }
  cache.set(flows, relations)
  return relations
}


function coveredBy(entry: Entry, other: RuleEntries): boolean {
  const ranges: PortRange[] = []
  for (const candidate of [...(other.byDst.get(entry.dst) ?? []), ...other.wide]) {
    if (candidate.proto !== entry.proto) continue
    if (!(candidate.unconditional || candidate.conditions === entry.conditions)) continue
    if (principalCovers(candidate.src, entry.src) && principalCovers(candidate.dst, entry.dst)) ranges.push(...candidate.ranges)
  }
  return ranges.length > 0 && rangesContain(mergeRanges(ranges), entry.ranges)
}

function firstOverlap(a: readonly PortRange[], b: readonly PortRange[]): PortRange | undefined {
  for (const x of a) for (const y of b) if (rangesOverlap(x, y)) return { first: Math.max(x.first, y.first), last: Math.min(x.last, y.last) }
  return undefined
}
