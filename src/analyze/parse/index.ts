/**
 * The policy reader's pure parsers: selector strings, `host:ports`, port lists, protocols and grant
 * `ip` entries become typed values; bad input becomes a {@link ParseFailure} in Tailscale's words.
 * Stable names: parseAlias, parseHostPort, parsePorts, parseProtocol, parseGrantIp, parseIpPrefix,
 * parseIpRange, parseIpAddress, formatIp, prefixOf, tagNameProblem, isParseFailure, parseGoDuration,
 * formatGoDuration.
 */
export { parseAlias, tagNameProblem, autogroupNames, roleAutogroups, type Alias, type AliasKind } from './alias.js'
export { formatGoDuration, parseGoDuration } from './duration.js'
export { fail, isParseFailure, type ParseFailure } from './failure.js'
export { parseGrantIp, isAllPorts, type IpCapability } from './grant-ip.js'
export { parseHostPort, type HostPort } from './host-port.js'
export { familyBits, formatIp, parseIpAddress, parseIpPrefix, parseIpRange, prefixOf, type IpFamily, type IpPrefix, type IpRange } from './ip.js'
export { allPorts, parsePorts, type PortRange } from './ports.js'
export { defaultProtocols, parseProtocol, protocolHasPorts, protocolNumbers, ICMP, ICMPV6, SCTP, TCP, UDP } from './protocol.js'
