/**
 * Sets of IP addresses as sorted, disjoint, non-adjacent inclusive intervals, one list per family.
 *
 * API (stable; other analyses import it):
 * - `IpSet.empty`, `IpSet.all` (0.0.0.0/0 and ::/0), `IpSet.of(ranges)`, `IpSet.parse(text)` for
 *   an address, a CIDR or an `a-b` range (undefined when the text is none of those)
 * - `union`, `intersect`, `subtract`: set algebra; `isEmpty`, `equals`, `covers`, `overlaps`,
 *   `containsAddress(family, value)`
 * - `ranges()`: the intervals; `toCidrs()`: the fewest CIDRs covering exactly the set, IPv4 first,
 *   each family in address order (`/32` and `/128` spelled out, as in Tailscale's netmaps)
 *
 * Values are immutable: every operation returns a new set. Intervals merge on construction, so two
 * sets holding the same addresses are equal however they were written.
 */
import { familyBits, formatIp, parseIpPrefix, parseIpRange, type IpFamily, type IpRange } from './parse/ip.js'
import { isParseFailure } from './parse/failure.js'

type Span = readonly [first: bigint, last: bigint]

export class IpSet {
  static readonly empty = new IpSet([], [])
  static readonly all = new IpSet([[0n, (1n << 32n) - 1n]], [[0n, (1n << 128n) - 1n]])

  private constructor(
    private readonly v4: readonly Span[],
    private readonly v6: readonly Span[],
  ) {}

  static of(ranges: Iterable<IpRange>): IpSet {
    const v4: Span[] = []
    const v6: Span[] = []
    for (const r of ranges) (r.family === 4 ? v4 : v6).push([r.first, r.last])
    return new IpSet(normalize(v4), normalize(v6))
  }

  static parse(text: string): IpSet | undefined {
    const prefix = parseIpPrefix(text)
    if (prefix) return IpSet.of([prefix])
    const range = parseIpRange(text)
    if (range && !isParseFailure(range)) return IpSet.of([range])
    return undefined
  }

  static address(family: IpFamily, value: bigint): IpSet {
    return IpSet.of([{ family, first: value, last: value }])
  }

  static unionAll(sets: Iterable<IpSet>): IpSet {
    const v4: Span[] = []
    const v6: Span[] = []
    for (const s of sets) {
      v4.push(...s.v4)
      v6.push(...s.v6)
    }
    return new IpSet(normalize(v4), normalize(v6))
  }

  get isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0
  }

  union(other: IpSet): IpSet {
    if (other.isEmpty) return this
    if (this.isEmpty) return other
    return new IpSet(normalize([...this.v4, ...other.v4]), normalize([...this.v6, ...other.v6]))
  }

  intersect(other: IpSet): IpSet {
    return new IpSet(intersectSpans(this.v4, other.v4), intersectSpans(this.v6, other.v6))
  }

  subtract(other: IpSet): IpSet {
    if (other.isEmpty) return this
    return new IpSet(subtractSpans(this.v4, other.v4), subtractSpans(this.v6, other.v6))
  }

  overlaps(other: IpSet): boolean {
    return !this.intersect(other).isEmpty
  }

  /** every address of `other` is in this set */
  covers(other: IpSet): boolean {
    return other.subtract(this).isEmpty
  }

  equals(other: IpSet): boolean {
    return spansEqual(this.v4, other.v4) && spansEqual(this.v6, other.v6)
  }

  containsAddress(family: IpFamily, value: bigint): boolean {
    const spans = family === 4 ? this.v4 : this.v6
    let lo = 0
    let hi = spans.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const span = spans[mid]!
      if (value < span[0]) hi = mid - 1
      else if (value > span[1]) lo = mid + 1
      else return true
    }
    return false
  }

  ranges(): IpRange[] {
    return [
      ...this.v4.map(([first, last]) => ({ family: 4 as const, first, last })),
      ...this.v6.map(([first, last]) => ({ family: 6 as const, first, last })),
    ]
  }

  toCidrs(): string[] {
    const out: string[] = []
    for (const [first, last] of this.v4) out.push(...rangeToCidrs(4, first, last))
    for (const [first, last] of this.v6) out.push(...rangeToCidrs(6, first, last))
    return out
  }

  toString(): string {
    return this.toCidrs().join(', ')
  }
}

function normalize(spans: Span[]): Span[] {
  if (spans.length <= 1) return spans
  spans.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const out: [bigint, bigint][] = []
  for (const [first, last] of spans) {
    const top = out[out.length - 1]
    if (top && first <= top[1] + 1n) {
      if (last > top[1]) top[1] = last
    } else out.push([first, last])
  }
  return out
}

function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const x = a[i]!
    const y = b[j]!
    const first = x[0] > y[0] ? x[0] : y[0]
    const last = x[1] < y[1] ? x[1] : y[1]
    if (first <= last) out.push([first, last])
    if (x[1] < y[1]) i++
    else j++
  }
  return out
}

function subtractSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = []
  let j = 0
  for (const [first, last] of a) {
    let start = first
    while (j < b.length && b[j]![1] < start) j++
    let k = j
    while (k < b.length && b[k]![0] <= last) {
      const [cutFirst, cutLast] = b[k]!
      if (cutFirst > start) out.push([start, cutFirst - 1n])
      if (cutLast >= last) {
        start = last + 1n
        break
      }
      start = cutLast + 1n
      k++
    }
    if (start <= last) out.push([start, last])
  }
  return out
}

function spansEqual(a: readonly Span[], b: readonly Span[]): boolean {
  return a.length === b.length && a.every((s, i) => s[0] === b[i]![0] && s[1] === b[i]![1])
}

/** the greedy split: at each step the largest aligned block that starts here and fits */
function rangeToCidrs(family: IpFamily, first: bigint, last: bigint): string[] {
  const max = familyBits(family)
  const out: string[] = []
  let start = first
  while (start <= last) {
    let size = 0
    while (size < max) {
      const next = size + 1
      const block = 1n << BigInt(next)
      if (start % block !== 0n || start + block - 1n > last) break
      size = next
    }
    out.push(`${formatIp(family, start)}/${max - size}`)
    start += 1n << BigInt(size)
  }
  return out
}
