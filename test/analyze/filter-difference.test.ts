import { describe, expect, test } from 'vitest'
import { filterDifference } from '../../src/analyze/filter-difference.js'
import type { FilterMatch } from '../../src/analyze/netmap.js'

describe('filterDifference', () => {
  const wildcardSrc = ['100.64.0.0/10']
  test('regrouping and re-splitting the same traffic makes no difference', () => {
    // GIVEN
    const a: FilterMatch[] = [{ proto: [6, 17], src: wildcardSrc, dst: [{ net: '10.0.0.0/8', ports: [0, 65535] }] }]
    const b: FilterMatch[] = [
      { proto: [17], src: ['100.64.0.0/11', '100.96.0.0/11'], dst: [{ net: '10.0.0.0/9', ports: [0, 100] }, { net: '10.128.0.0/9', ports: [0, 100] }] },
      { proto: [6, 17], src: wildcardSrc, dst: [{ net: '10.0.0.0/8', ports: [50, 65535] }] },
      { proto: [6], src: wildcardSrc, dst: [{ net: '10.0.0.0/8', ports: [0, 49] }] },
    ]
    // THEN
    expect(filterDifference(a, b)).toBeUndefined()
  })

  test('one port more is a difference, with a witness', () => {
    // GIVEN
    const a: FilterMatch[] = [{ proto: [6], src: wildcardSrc, dst: [{ net: '10.0.0.1/32', ports: [22, 22] }] }]
    const b: FilterMatch[] = [{ proto: [6], src: wildcardSrc, dst: [{ net: '10.0.0.1/32', ports: [22, 23] }] }]
    // THEN
    expect(filterDifference(a, b)).toBe('proto 6 to 10.0.0.1 port 23: extra src 100.64.0.0/10')
  })

  test('capabilities compare by name, parameters and source, not by grouping', () => {
    // GIVEN
    const cap = (Values: unknown[]) => ({ proto: [6], src: wildcardSrc, dst: [], caps: [{ Dst: '100.64.0.1/32', Cap: 'example.com/cap/x', Values }] })
    // THEN
    expect(filterDifference([cap([{ a: 1 }, { b: 2 }])], [cap([{ b: 2 }]), cap([{ a: 1 }])])).toBeUndefined()
    expect(filterDifference([cap([{ a: 1 }])], [cap([{ a: 2 }])])).toMatch(/capability example\.com\/cap\/x/)
  })
})

describe('filterDifference on IPv6 and wildcards', () => {
  test('`*` as a destination equals 0.0.0.0/0 and ::/0', () => {
    // GIVEN
    const src = ['fd7a:115c:a1e0::/48']
    const star: FilterMatch[] = [{ proto: [6], src, dst: [{ net: '*', ports: [0, 65535] }] }]
    const both: FilterMatch[] = [{ proto: [6], src, dst: [{ net: '0.0.0.0/0', ports: [0, 65535] }, { net: '::/0', ports: [0, 65535] }] }]
    // THEN
    expect(filterDifference(star, both)).toBeUndefined()
    expect(filterDifference(star, both.slice(0, 0))).toMatch(/missing src fd7a:115c:a1e0::\/48/)
  })

  test('a protocol only one side names is a difference', () => {
    // GIVEN
    const tcp: FilterMatch[] = [{ proto: [6], src: ['100.64.0.1/32'], dst: [{ net: '100.64.0.2/32', ports: [22, 22] }] }]
    const tcpAndSctp: FilterMatch[] = [{ proto: [6, 132], src: ['100.64.0.1/32'], dst: [{ net: '100.64.0.2/32', ports: [22, 22] }] }]
    // THEN
    expect(filterDifference(tcp, tcpAndSctp)).toBe('proto 132 to 100.64.0.2 port 22: extra src 100.64.0.1/32')
  })
})
