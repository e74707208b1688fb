/**
 * IP protocols a policy may name, by Tailscale's aliases (tailscale.com/kb/1538). Any IANA number
 * `1`–`255` written as a string is accepted too.
 */
export type Protocol =
  | 'tcp'
  | 'udp'
  | 'sctp'
  | 'icmp'
  | 'ipv6-icmp'
  | 'igmp'
  | 'ipv4'
  | 'ip-in-ip'
  | 'egp'
  | 'igp'
  | 'gre'
  | 'esp'
  | 'ah'
  | `${number}`

const namedProtocols: ReadonlySet<string> = new Set([
  'tcp', 'udp', 'sctp', 'icmp', 'ipv6-icmp', 'igmp', 'ipv4', 'ip-in-ip', 'egp', 'igp', 'gre', 'esp', 'ah',
])

/** Tailscale accepts port numbers only for these; every other protocol takes `*` (kb/1337 "proto"). */
const portedProtocols: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp', '6', '17', '132'])

// a registry-wide symbol: a policy loaded through jiti gets its own copy of this class, so the
// compiler recognises ports by this brand, never by `instanceof`; it stays out of the type so
// ports from `src/` and from `dist/` type-check as one
const portBrand = Symbol.for('tailor.port')

/**
 * Network ports a rule opens or an expectation checks: a protocol (or "TCP, UDP and ICMP" when
 * absent, Tailscale's default) and a range of port numbers. Made only through the named factories;
 * `toString()` is exactly the grant `ip` entry the compiler emits (`tcp:8080`, `udp:53`, `*`).
 */
export class Port {
  /** SSH, tcp:22 */
  static readonly SSH = Port.tcp(22)
  /** HTTP, tcp:80 */
  static readonly HTTP = Port.tcp(80)
  /** HTTPS, tcp:443 */
  static readonly HTTPS = Port.tcp(443)
  /** DNS, udp:53 */
  static readonly DNS = Port.udp(53)
  /** PostgreSQL, tcp:5432 */
  static readonly POSTGRES = Port.tcp(5432)

  private constructor(
    /** undefined means Tailscale's default: TCP, UDP and ICMP */
    readonly protocol: Protocol | undefined,
    readonly first: number,
    readonly last: number,
    /** every port of the protocol (`*`), which is not the same text as the range 0–65535 */
    readonly all: boolean,
  ) {}

  /** Whether `value` is a port, also one made by another copy of tailor (a policy loaded with jiti). */
  static isPort(value: unknown): value is Port {
    return value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[portBrand] === true
  }

  /** One TCP port: `Port.tcp(8080)` → `tcp:8080`. */
  static tcp(port: number): Port {
    return Port.range('tcp', port, port)
  }

  /** One UDP port: `Port.udp(53)` → `udp:53`. */
  static udp(port: number): Port {
    return Port.range('udp', port, port)
  }

  /** A range of ports of one protocol: `Port.range('tcp', 8000, 8099)` → `tcp:8000-8099`. */
  static range(protocol: Protocol, first: number, last: number): Port {
    const proto = checkProtocol(protocol)
    if (!portedProtocols.has(proto)) {
      throw new RangeError(`protocol \`${proto}\` has no port numbers; use Port.all('${proto}')`)
    }
    checkPortNumber(first)
    checkPortNumber(last)
    if (first > last) throw new RangeError(`port range ${first}-${last} is inverted; write ${last}-${first}`)
    return new Port(proto as Protocol, first, last, false)
  }

  /** Every port of one protocol: `Port.all('tcp')` → `tcp:*`, `Port.all('icmp')` → `icmp:*`. */
  static all(protocol: Protocol): Port {
    return new Port(checkProtocol(protocol) as Protocol, 0, 65535, true)
  }

  /** ICMP (ping), which has no ports: `icmp:*`. */
  static icmp(): Port {
    return Port.all('icmp')
  }

  /** Every protocol and port: `*`. Tailscale's "all traffic". */
  static any(): Port {
    return new Port(undefined, 0, 65535, true)
  }

  /** A port number for TCP, UDP and ICMP together (Tailscale's default protocols): `Port.number(443)` → `443`. */
  static number(first: number, last: number = first): Port {
    checkPortNumber(first)
    checkPortNumber(last)
    if (first > last) throw new RangeError(`port range ${first}-${last} is inverted; write ${last}-${first}`)
    return new Port(undefined, first, last, false)
  }

  /**
   * Reads one grant `ip` entry as Tailscale writes it (`*`, `443`, `80-443`, `tcp:443`, `tcp:80-443`,
   * `icmp:*`), so imported policies can be written back with the DSL. Comma lists are several ports.
   */
  static parse(text: string): Port {
    const colon = text.indexOf(':')
    const protocol = colon === -1 ? undefined : text.slice(0, colon)
    const ports = colon === -1 ? text : text.slice(colon + 1)
    if (ports === '*') return protocol === undefined ? Port.any() : Port.all(protocol as Protocol)
    const match = /^(\d+)(?:-(\d+))?$/.exec(ports)
    if (!match) throw new RangeError(`port range "${ports}" is not a port, a range or \`*\``)
    const first = Number(match[1])
    const last = match[2] === undefined ? first : Number(match[2])
    return protocol === undefined ? Port.number(first, last) : Port.range(protocol as Protocol, first, last)
  }

  /** Whether every packet this port admits is also admitted by `other`. */
  isWithin(other: Port): boolean {
    if (other.protocol !== undefined && other.protocol !== this.protocol) return false
    if (other.all) return true
    return !this.all && other.first <= this.first && this.last <= other.last
  }

  /** The grant `ip` entry: `tcp:8080`, `tcp:8000-8099`, `udp:53`, `icmp:*`, `443`, `*`. */
  toString(): string {
    const ports = this.all ? '*' : this.first === this.last ? `${this.first}` : `${this.first}-${this.last}`
    return this.protocol === undefined ? ports : `${this.protocol}:${ports}`
  }

  toJSON(): string {
    return this.toString()
  }
}

function checkProtocol(protocol: string): string {
  const proto = String(protocol).trim().toLowerCase()
  if (namedProtocols.has(proto)) return proto
  if (/^[1-9]\d{0,2}$/.test(proto) && Number(proto) <= 255) return proto
  throw new RangeError(
    `protocol \`${protocol}\` is not known; use an IANA number 1-255 or a name (tcp, udp, sctp, icmp, gre, esp, ah, ...)`,
  )
}

function checkPortNumber(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(
      port === 0
        ? "port 0 is not valid: first port must be >0, or use '*' for wildcard (Port.any() or Port.all(protocol))"
        : `port ${String(port)} is not valid: ports are whole numbers from 1 to 65535`,
    )
  }
}

Object.defineProperty(Port.prototype, portBrand, { value: true })
