import type { PortRange } from './parse/index.js'

/** Sorted, disjoint, non-adjacent intervals covering the same ports as `ranges`. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  if (ranges.length === 1) return [ranges[0]!]
  const sorted = [...ranges].sort((a, b) => a.first - b.first || a.last - b.last)
  const merged: PortRange[] = []
  for (const range of sorted) {
    const last = merged[merged.length - 1]
    if (last && range.first <= last.last + 1) {
      if (range.last > last.last) merged[merged.length - 1] = { first: last.first, last: range.last }
    } else {
      merged.push({ first: range.first, last: range.last })
    }
  }
  return merged
}

/** Ports in `from` that `minus` does not cover; both must be merged (see {@link mergeRanges}). */
export function subtractRanges(from: readonly PortRange[], minus: readonly PortRange[]): PortRange[] {
  const result: PortRange[] = []
  let j = 0
  for (const range of from) {
    let first = range.first
    while (j < minus.length && minus[j]!.last < first) j++
    let k = j
    while (k < minus.length && minus[k]!.first <= range.last) {
      const cut = minus[k]!
      if (cut.first > first) result.push({ first, last: cut.first - 1 })
      first = Math.max(first, cut.last + 1)
      k++
    }
    if (first <= range.last) result.push({ first, last: range.last })
  }
  return result
}

export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.first <= b.last && b.first <= a.last
}

/** True when every port of `inner` is in `outer`; both merged. */
export function rangesContain(outer: readonly PortRange[], inner: readonly PortRange[]): boolean {
  return subtractRanges(inner, outer).length === 0
}

export function portCount(ranges: readonly PortRange[]): number {
  return ranges.reduce((n, r) => n + r.last - r.first + 1, 0)
}

/** `22`, `80-90`, `*`, comma-joined, as a policy would write them. */
export function formatRanges(ranges: readonly PortRange[]): string {
  if (ranges.length === 1 && ranges[0]!.first === 0 && ranges[0]!.last === 65535) return '*'
  return ranges.map((r) => (r.first === r.last ? String(r.first) : `${r.first}-${r.last}`)).join(',')
}
