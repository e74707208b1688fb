import { parseAlias, type Alias } from './alias.js'
import { fail, type ParseFailure } from './failure.js'
import { parseIpPrefix } from './ip.js'
import { parsePorts, type PortRange } from './ports.js'

/** An ACL `dst` or a test destination: who, and on which ports. */
export interface HostPort {
  readonly alias: Alias
  readonly ports: readonly PortRange[]
  /** the host part as written (before the last colon, brackets removed) */
  readonly host: string
  /** the port part as written */
  readonly portText: string
}

/**
 * `tag:server:22,80-90`, `*:*`, `[fd7a::1]:22`, `[fd7a::/48]:*`, `[fd7a::]/48:*`: the ports follow the
 * last colon, so prefixed selectors keep their own colon. A selector without ports splits at its own
 * colon, which is why Tailscale answers `autogroup:self` with `port range "self": invalid first integer`.
 * Failures are bare reasons; callers add the `dst="…": ` context.
 */
export function parseHostPort(raw: string): HostPort | ParseFailure {
  const text = raw.trim()
  if (text.startsWith('[')) return bracketed(text)
  const colon = text.lastIndexOf(':')
  if (colon < 0) return fail('hostport must contain a colon')
  const host = text.slice(0, colon)
  const portText = text.slice(colon + 1)
  const ports = parsePorts(portText)
  if ('error' in ports) return ports
  const alias = parseAlias(host)
  if ('error' in alias) return alias
  return { alias, ports, host, portText }
}

function bracketed(text: string): HostPort | ParseFailure {
  const close = text.indexOf(']')
  if (close < 0) return fail('missing closing bracket')
  const inside = text.slice(1, close)
  let rest = text.slice(close + 1)
  let host = inside
  const length = /^\/([0-9]{1,3})/.exec(rest)
  if (length) {
    host = `${inside}/${length[1]}`
    rest = rest.slice(length[0].length)
  }
  if (!rest.startsWith(':')) return fail('hostport must contain a colon')
  const prefix = parseIpPrefix(host)
  if (!inside.includes(':') || inside.includes('/') || !prefix || prefix.family !== 6) return fail(`square brackets are only valid around IPv6 addresses: ${JSON.stringify(inside)}`)
  const portText = rest.slice(1)
  const ports = parsePorts(portText)
  if ('error' in ports) return ports
  return { alias: { kind: 'prefix', text: host, prefix, single: !host.includes('/') }, ports, host, portText }
}
