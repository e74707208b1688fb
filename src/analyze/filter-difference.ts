/**
 * Whether two packet filters allow the same traffic, decided exactly rather than by text.
 *
 * API: `filterDifference(expected, actual) → string | undefined`: undefined when both allow the same
 * (protocol, source, destination, port) tuples and grant the same app capabilities to the same
 * sources; otherwise one concrete witness, in words.
 *
 * The union of a filter's boxes is constant between interval boundaries, so comparing the source
 * sets at every combination of protocol, destination and port boundary points decides equality,
 * whatever the order, grouping or CIDR splitting of the matches.
 */
import { IpSet } from './ip-set.js'
import { familyBits, formatIp, type IpFamily } from './parse/ip.js'

/** the filter shapes this compares: a netmap's, or a conformance capture's */
export interface ComparableMatch {
  readonly proto: readonly number[]
  readonly src: readonly string[]
  readonly dst: readonly { readonly net: string; readonly ports: readonly number[] }[]
  readonly caps?: readonly { readonly Dst: string; readonly Cap: string; readonly Values?: unknown }[] | null
}

interface Box {
  /** a protocol number, or a capability key */
  readonly key: string
  readonly src: IpSet
  readonly dst: IpSet
  readonly first: number
  readonly last: number
}

export function filterDifference(expected: readonly ComparableMatch[], actual: readonly ComparableMatch[]): string | undefined {
  const want = boxesOf(expected)
  const got = boxesOf(actual)
  const all = [...want, ...got]

  const keys = new Set(all.map((b) => b.key))
  // one protocol nobody names stands for all the others
  for (let p = 0; p < 256; p++) {
    if (!keys.has(String(p))) {
      keys.add(String(p))
      break
    }
  }
  const ports = new Set<number>([0])
  for (const b of all) {
    ports.add(b.first)
    if (b.last < 65535) ports.add(b.last + 1)
  }
  const points: { family: IpFamily; value: bigint }[] = []
  for (const family of [4, 6] as const) {
    const limit = 1n << BigInt(familyBits(family))
    const values = new Set<bigint>([0n])
    for (const b of all) {
      for (const r of b.dst.ranges()) {
        if (r.family !== family) continue
        values.add(r.first)
        if (r.last + 1n < limit) values.add(r.last + 1n)
      }
    }
    for (const value of [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) points.push({ family, value })
  }
  const portPoints = [...ports].sort((a, b) => a - b)

  for (const key of [...keys].sort()) {
    const wantKey = want.filter((b) => b.key === key)
    const gotKey = got.filter((b) => b.key === key)
    if (wantKey.length === 0 && gotKey.length === 0) continue
    for (const point of points) {
      const wantHere = wantKey.filter((b) => b.dst.containsAddress(point.family, point.value))
      const gotHere = gotKey.filter((b) => b.dst.containsAddress(point.family, point.value))
      if (wantHere.length === 0 && gotHere.length === 0) continue
      for (const port of key.includes('/') ? [0] : portPoints) {
        const a = IpSet.unionAll(wantHere.filter((b) => b.first <= port && port <= b.last).map((b) => b.src))
        const b = IpSet.unionAll(gotHere.filter((x) => x.first <= port && port <= x.last).map((x) => x.src))
        if (!a.equals(b)) {
          const where = `${describeKey(key)} to ${formatIp(point.family, point.value)}${key.includes('/') ? '' : ` port ${port}`}`
          const missing = a.subtract(b)
          const extra = b.subtract(a)
          const parts = [missing.isEmpty ? '' : `missing src ${missing}`, extra.isEmpty ? '' : `extra src ${extra}`].filter((s) => s !== '')
          return `${where}: ${parts.join('; ')}`
        }
      }
    }
  }
  return undefined
}

function describeKey(key: string): string {
  return key.includes('/') ? `capability ${key}` : `proto ${key}`
}

function boxesOf(matches: readonly ComparableMatch[]): Box[] {
  const boxes: Box[] = []
  for (const m of matches) {
    const src = IpSet.unionAll(m.src.map(parseNet))
    if (src.isEmpty) continue
    for (const d of m.dst) {
      const dst = parseNet(d.net)
      const first = d.ports[0] ?? 0
      const last = d.ports[1] ?? first
      for (const p of m.proto) boxes.push({ key: String(p), src, dst, first, last })
    }
    for (const c of m.caps ?? []) {
      const dst = parseNet(c.Dst)
      // presence of the capability, then each parameter object on its own, so grouping does not matter
      boxes.push({ key: c.Cap, src, dst, first: 0, last: 0 })
      const values = Array.isArray(c.Values) ? c.Values : c.Values === undefined || c.Values === null ? [] : [c.Values]
      for (const v of values) boxes.push({ key: `${c.Cap} ${canonical(v)}`, src, dst, first: 0, last: 0 })
    }
  }
  return boxes
}

function parseNet(text: string): IpSet {
  if (text === '*') return IpSet.all
  return IpSet.parse(text) ?? IpSet.empty
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'undefined'
}
