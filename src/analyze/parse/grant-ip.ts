import { fail, type ParseFailure } from './failure.js'
import { allPorts, parsePorts, type PortRange } from './ports.js'
import { parseProtocol, protocolHasPorts } from './protocol.js'

/** One grant `ip` entry: a protocol (undefined = the default TCP, UDP, ICMP, ICMPv6) and ports. */
export interface IpCapability {
  readonly protocol: number | undefined
  readonly ports: readonly PortRange[]
}

/**
 * `*`, `443`, `80-443`, `*:443`, `tcp:443`, `tcp:80-443`, `icmp:*`, `sctp:*`, `"47":*`. A bare protocol name has
 * no colon and is read as ports, so `icmp` fails as `port range "icmp": invalid first integer`.
 */
export function parseGrantIp(raw: string): IpCapability | ParseFailure {
  const text = raw.trim()
  if (text === '*') return { protocol: undefined, ports: [allPorts] }
  const parts = text.split(':')
  if (parts.length > 2) return fail(`expected only one colon in Internet protocol and port type, got: ${JSON.stringify(text)}`)
  if (parts.length === 1) {
    const ports = parsePorts(text)
    return 'error' in ports ? ports : { protocol: undefined, ports }
  }
  const [protoText = '', portText = ''] = parts
  // `*:8096` is accepted by Tailscale (public files applied through its API) and means no protocol filter
  if (protoText.trim() === '*') {
    const ports = parsePorts(portText)
    return 'error' in ports ? ports : { protocol: undefined, ports }
  }
  const protocol = parseProtocol(protoText)
  if (typeof protocol !== 'number') return protocol
  const ports = parsePorts(portText)
  if ('error' in ports) return ports
  if (!protocolHasPorts(protocol) && !isAllPorts(ports)) return fail(`protocol does not support specific ports: ${JSON.stringify(protoText)}, only "*" is allowed`)
  return { protocol, ports }
}

export function isAllPorts(ports: readonly PortRange[]): boolean {
  return ports.some((p) => p.first === 0 && p.last === 65535)
}
