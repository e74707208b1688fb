import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { IpSet } from '../../src/analyze/ip-set.js'

const set = (...texts: string[]): IpSet => IpSet.unionAll(texts.map((t) => IpSet.parse(t)!))

describe('IpSet', () => {
  test.each([
    ['a bare address is one host', ['100.64.0.1'], ['100.64.0.1/32']],
    ['a CIDR is kept as written, masked', ['10.1.2.3/8'], ['10.0.0.0/8']],
    ['adjacent halves merge into their parent', ['10.0.0.0/25', '10.0.0.128/25'], ['10.0.0.0/24']],
    ['an IPv6 address is a /128 in compressed form', ['fd7a:115c:a1e0:0:0:0:0:1'], ['fd7a:115c:a1e0::1/128']],
    ['a range becomes the fewest CIDRs', ['10.0.0.1-10.0.0.6'], ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']],
    ['IPv4 comes before IPv6', ['fd7a:115c:a1e0::/48', '100.64.0.0/10'], ['100.64.0.0/10', 'fd7a:115c:a1e0::/48']],
  ])('%s', (_, input, cidrs) => {
    // WHEN
    const result = set(...input)
    // THEN
    expect(result.toCidrs()).toEqual(cidrs)
  })

  test('the CGNAT range without the ChromeOS block renders as Tailscale renders its wildcard source', () => {
    // GIVEN
    const cgnat = set('100.64.0.0/10')
    // WHEN
    const wildcard = cgnat.subtract(set('100.115.92.0/23'))
    // THEN: the 13 blocks of the captured `*` source, in address order
    expect(wildcard.toCidrs()).toEqual([
      '100.64.0.0/11',
      '100.96.0.0/12',
      '100.112.0.0/15',
      '100.114.0.0/16',
      '100.115.0.0/18',
      '100.115.64.0/20',
      '100.115.80.0/21',
      '100.115.88.0/22',
      '100.115.94.0/23',
      '100.115.96.0/19',
      '100.115.128.0/17',
      '100.116.0.0/14',
      '100.120.0.0/13',
    ])
  })

  test('intersect, covers and overlaps answer per family', () => {
    // GIVEN
    const routes = set('10.0.0.0/8', 'fd00::/8')
    // THEN
    expect(routes.intersect(set('10.33.0.0/16', '192.168.0.0/16')).toCidrs()).toEqual(['10.33.0.0/16'])
    expect(routes.covers(set('10.33.0.0/16'))).toBe(true)
    expect(routes.covers(set('10.0.0.0/7'))).toBe(false)
    expect(routes.overlaps(set('10.0.0.0/7'))).toBe(true)
    expect(routes.overlaps(set('fe00::/8'))).toBe(false)
    expect(routes.containsAddress(6, 0xfd00n << 112n)).toBe(true)
  })

  test('text that is no address, CIDR or range does not parse', () => {
    expect(IpSet.parse('tag:web')).toBeUndefined()
    expect(IpSet.parse('10.0.0.256')).toBeUndefined()
    expect(IpSet.parse('10.0.0.9-10.0.0.1')).toBeUndefined()
    expect(IpSet.parse('10.0.0.0/33')).toBeUndefined()
  })

  // a small universe (the last 6 bits of 10.0.0.0/26) keeps a brute-force model exact
  const small = fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 63 })), { maxLength: 6 })
  const build = (pairs: [number, number][]): { ips: IpSet; model: Set<number> } => {
    const model = new Set<number>()
    const ranges = pairs.map(([a, b]) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      for (let i = lo; i <= hi; i++) model.add(i)
      return { family: 4 as const, first: 0x0a000000n + BigInt(lo), last: 0x0a000000n + BigInt(hi) }
    })
    return { ips: IpSet.of(ranges), model }
  }
  const members = (ips: IpSet): number[] => {
    const out: number[] = []
    for (let i = 0; i < 64; i++) if (ips.containsAddress(4, 0x0a000000n + BigInt(i))) out.push(i)
    return out
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b)

  test('union, intersection and difference agree with a set of addresses', () => {
    fc.assert(
      fc.property(small, small, (x, y) => {
        const a = build(x)
        const b = build(y)
        expect(members(a.ips.union(b.ips))).toEqual(sorted(new Set([...a.model, ...b.model])))
        expect(members(a.ips.intersect(b.ips))).toEqual(sorted(new Set([...a.model].filter((i) => b.model.has(i)))))
        expect(members(a.ips.subtract(b.ips))).toEqual(sorted(new Set([...a.model].filter((i) => !b.model.has(i)))))
      }),
    )
  })

  test('the rendered CIDRs hold exactly the set, and the same set always renders the same', () => {
    fc.assert(
      fc.property(small, (x) => {
        const { ips, model } = build(x)
        const again = IpSet.unionAll(ips.toCidrs().map((c) => IpSet.parse(c)!))
        expect(members(again)).toEqual(sorted(model))
        expect(again.equals(ips)).toBe(true)
        expect(again.toCidrs()).toEqual(ips.toCidrs())
      }),
    )
  })
})
