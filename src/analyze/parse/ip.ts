import { fail, type ParseFailure } from './failure.js'

/**
 * IP addresses, prefixes and ranges as inclusive integer intervals, so the engine can intersect and
 * subtract them without caring whether the policy wrote `100.64.0.0/10`, `100.64.0.0-100.127.255.255`
 * or a single address.
 */
export type IpFamily = 4 | 6

export interface IpRange {
  readonly family: IpFamily
  readonly first: bigint
  readonly last: bigint
}

export interface IpPrefix extends IpRange {
  readonly bits: number
  /** canonical text: network address (masked) and length, `10.0.0.0/8`, `fd7a:115c:a1e0::/48` */
  readonly text: string
}

export function familyBits(family: IpFamily): number {
  return family === 4 ? 32 : 128
}

/** An IPv4 or IPv6 address as Go's `netip.ParseAddr` accepts it (no leading zeros in IPv4, no zones). */
export function parseIpAddress(text: string): { family: IpFamily; value: bigint } | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text)
    return value === undefined ? undefined : { family: 6, value }
  }
  const value = parseIpv4(text)
  return value === undefined ? undefined : { family: 4, value }
}

/** `a.b.c.d`, `a.b.c.d/n`, `v6` or `v6/n`; a bare address is a /32 or /128. */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/')
  const address = parseIpAddress(slash < 0 ? text : text.slice(0, slash))
  if (!address) return undefined
  const max = familyBits(address.family)
  let bits = max
  if (slash >= 0) {
    const length = text.slice(slash + 1)
    if (!/^(0|[1-9][0-9]{0,2})$/.test(length)) return undefined
    bits = Number(length)
    if (bits > max) return undefined
  }
  return prefixOf(address.family, address.value, bits)
}

export function prefixOf(family: IpFamily, value: bigint, bits: number): IpPrefix {
  const max = familyBits(family)
  const hostBits = BigInt(max - bits)
  const first = (value >> hostBits) << hostBits
  const last = first | ((1n << hostBits) - 1n)
  return { family, first, last, bits, text: `${formatIp(family, first)}/${bits}` }
}

/** `a-b` with both ends of one family and `a <= b`. */
export function parseIpRange(text: string): IpRange | ParseFailure | undefined {
  const dash = text.indexOf('-')
  if (dash < 0) return undefined
  const from = parseIpAddress(text.slice(0, dash))
  const to = parseIpAddress(text.slice(dash + 1))
  if (!from || !to) return undefined
  if (from.family !== to.family) return fail(`invalid IP range ${JSON.stringify(text)}: both ends must be of the same IP family`)
  if (from.value > to.value) return fail(`invalid IP range ${JSON.stringify(text)}: the first address is after the last`)
  return { family: from.family, first: from.value, last: to.value }
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.')
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn))
  // RFC 5952: the longest run (of two or more) of zero groups becomes `::`
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) {
      bestStart = i
      bestLength = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0n
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined
    const octet = Number(part)
    if (octet > 255) return undefined
    value = (value << 8n) | BigInt(octet)
  }
  return value
}

function parseIpv6(text: string): bigint | undefined {
  if (text.includes('%')) return undefined
  let head = text
  let tail = ''
  const doubleColon = text.indexOf('::')
  if (doubleColon >= 0) {
    if (text.indexOf('::', doubleColon + 1) >= 0) return undefined
    head = text.slice(0, doubleColon)
    tail = text.slice(doubleColon + 2)
  }
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === '' ? [] : tail.split(':')
  const groups: number[] = []
  const all = [...headGroups, ...tailGroups]
  // an embedded IPv4 address may end the text (`::ffff:1.2.3.4`)
  let embedded: bigint | undefined
  const lastGroup = all[all.length - 1]
  if (lastGroup !== undefined && lastGroup.includes('.')) {
    embedded = parseIpv4(lastGroup)
    if (embedded === undefined) return undefined
    if (tailGroups.length > 0) tailGroups.pop()
    else headGroups.pop()
  }
  const wanted = embedded === undefined ? 8 : 6
  const explicit = headGroups.length + tailGroups.length
  if (doubleColon < 0 ? explicit !== wanted : explicit > wanted - 1) return undefined
  for (const group of headGroups) groups.push(hexGroup(group))
  for (let i = explicit; i < wanted; i++) groups.push(0)
  for (const group of tailGroups) groups.push(hexGroup(group))
  if (groups.some((g) => g < 0)) return undefined
  let value = 0n
  for (const group of groups) value = (value << 16n) | BigInt(group)
  if (embedded !== undefined) value = (value << 32n) | embedded
  return value
}

function hexGroup(group: string): number {
  return /^[0-9a-fA-F]{1,4}$/.test(group) ? parseInt(group, 16) : -1
}
