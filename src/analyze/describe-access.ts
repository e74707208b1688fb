import { ICMP, ICMPV6, protocolNumbers, TCP, UDP, type PortRange } from './parse/index.js'
import { formatRanges } from './port-ranges.js'

/** The ports one protocol allows, merged. */
export interface ProtocolPorts {
  readonly proto: number
  readonly ports: readonly PortRange[]
}

const names = new Map<number, string>()
for (const [name, number] of Object.entries(protocolNumbers)) if (!names.has(number)) names.set(number, name)

export function protocolName(proto: number): string {
  return names.get(proto) ?? String(proto)
}

/**
 * Access in the policy's own notation: TCP and UDP on the same ports with ICMP is what a rule without
 * a protocol allows, so it reads `22` or `*`; anything else names its protocols (`tcp:80-90`,
 * `tcp,udp:53`, `icmp:*`). `protocols` must be sorted by number.
 */
export function describeAccess(protocols: readonly ProtocolPorts[]): string {
  const text = new Map(protocols.map((p) => [p.proto, formatRanges(p.ports)]))
  const parts: string[] = []
  const tcp = text.get(TCP)
  if (tcp !== undefined && text.get(UDP) === tcp && text.get(ICMP) === '*' && text.get(ICMPV6) === '*') {
    parts.push(tcp)
    for (const proto of [TCP, UDP, ICMP, ICMPV6]) text.delete(proto)
  }
  const byPorts = new Map<string, string[]>()
  for (const [proto, ports] of text) {
    const list = byPorts.get(ports)
    if (list) list.push(protocolName(proto))
    else byPorts.set(ports, [protocolName(proto)])
  }
  for (const [ports, protos] of byPorts) parts.push(`${protos.join(',')}:${ports}`)
  return parts.join(' ')
}
