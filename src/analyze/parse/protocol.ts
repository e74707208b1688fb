import { fail, type ParseFailure } from './failure.js'

/** IP protocol numbers by the names a policy may use (KB grants syntax table plus `icmp`, `ipv6-icmp`). */
export const protocolNumbers: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ipv4: 4,
  'ip-in-ip': 4,
  tcp: 6,
  egp: 8,
  igp: 9,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  icmpv6: 58,
  sctp: 132,
  fc: 133,
}

export const TCP = 6
export const UDP = 17
export const ICMP = 1
export const ICMPV6 = 58
export const SCTP = 132

/** What a rule without `proto` allows on the wire: TCP, UDP, ICMP and ICMPv6. */
export const defaultProtocols: readonly number[] = [TCP, UDP, ICMP, ICMPV6]

/** Only these carry ports; a rule for any other protocol must use `*`. */
export function protocolHasPorts(protocol: number): boolean {
  return protocol === TCP || protocol === UDP || protocol === SCTP
}

/**
 * `tcp`, `"6"`, `ipv6-icmp`, ... → the IP protocol number. Names are case-insensitive; numbers are
 * decimal strings 1-255 without leading zeros.
 */
export function parseProtocol(raw: string): number | ParseFailure {
  const text = raw.trim().toLowerCase()
  // wording as headscale copies it from Tailscale; `0` counts as a leading zero there
  if (/^[0-9]+$/.test(text)) {
    if (text.startsWith('0')) return fail(`leading 0 not permitted in protocol number: ${JSON.stringify(raw)}`)
    const n = Number(text)
    if (n > 255) return fail(`protocol number out of range (0-255): ${text}`)
    return n
  }
  const n = protocolNumbers[text]
  if (n === undefined) return fail(`proto name ${JSON.stringify(raw)} not known; use protocol number 0-255 or protocol name (icmp, tcp, udp, etc.)`)
  return n
}
