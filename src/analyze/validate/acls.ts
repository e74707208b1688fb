import type { AclRule } from '../../compile/tailnet-policy.js'
import type { JsonPath } from '../../model/diagnostic.js'
import type { Alias } from '../parse/alias.js'
import { isAllPorts } from '../parse/grant-ip.js'
import { parseHostPort } from '../parse/host-port.js'
import { parseProtocol, protocolHasPorts } from '../parse/protocol.js'
import { quote, type ValidationContext } from './context.js'
import { checkPostureNames } from './postures.js'
import { checkSelector } from './selector.js'
import { checkSelfSources } from './self-sources.js'

/** `acls`: action, sources, `host:ports` destinations, proto, postures, and the `autogroup:self` rule. */
export function checkAcls(ctx: ValidationContext): void {
  ctx.policy.acls?.forEach((rule, index) => checkAcl(rule, ['acls', index], ctx))
}

function checkAcl(rule: AclRule, path: JsonPath, ctx: ValidationContext): void {
  const action = (rule.action ?? '').trim()
  if (action !== 'accept') {
    ctx.error('invalid-action', `action=${quote(rule.action ?? '')} is not supported`, [...path, 'action'], 'ACLs only allow: write `"action": "accept"`; there are no deny rules')
  }
  if (rule.src !== undefined && rule.users !== undefined) {
    ctx.error('legacy-conflict', 'only one of `src` and the legacy `users` may be specified', [...path, 'users'], 'move the entries of `users` into `src`')
  }
  if (rule.dst !== undefined && rule.ports !== undefined) {
    ctx.error('legacy-conflict', 'only one of `dst` and the legacy `ports` may be specified', [...path, 'ports'], 'move the entries of `ports` into `dst`')
  }
  const srcKey = rule.src !== undefined || rule.users === undefined ? 'src' : 'users'
  const dstKey = rule.dst !== undefined || rule.ports === undefined ? 'dst' : 'ports'
  const sources: { alias: Alias; path: JsonPath }[] = []
  ;(rule[srcKey] ?? []).forEach((text, i) => {
    const where = [...path, srcKey, i]
    const alias = checkSelector(text, { position: 'src', path: where, prefix: 'src=' }, ctx)
    if (alias) sources.push({ alias, path: where })
  })
  let protocol: number | undefined
  if (rule.proto !== undefined && rule.proto.trim() !== '') {
    const parsed = parseProtocol(rule.proto)
    if (typeof parsed === 'number') protocol = parsed
    else ctx.error('invalid-proto', parsed.error, [...path, 'proto'], 'use a protocol name such as `tcp`, `udp`, `icmp`, or an IANA number as a string (`"47"`)')
  }
  let selfDestination = false
  ;(rule[dstKey] ?? []).forEach((text, i) => {
    const where = [...path, dstKey, i]
    const prefix = `dst=${quote(text)}: `
    const hostPort = parseHostPort(text)
    if ('error' in hostPort) {
      ctx.error('invalid-destination', `${prefix}${hostPort.error}`, where, 'an ACL destination is `<selector>:<ports>`, e.g. `tag:server:22`, `group:eng:80,443` or `*:*`')
      return
    }
    // port errors quote the whole entry, selector errors only its host part (both captured)
    const alias = checkSelector(hostPort.host, { position: 'dst', path: where, prefix: `dst=${quote(hostPort.host)}: ` }, ctx)
    if (alias?.kind === 'autogroup' && alias.name === 'self') selfDestination = true
    if (protocol !== undefined && !protocolHasPorts(protocol) && !isAllPorts(hostPort.ports)) {
      ctx.error('ports-without-protocol', `${prefix}protocol does not support specific ports: ${quote(rule.proto ?? '')}, only "*" is allowed`, where, 'only TCP, UDP and SCTP have ports; write `:*`')
    }
  })
  if (selfDestination) checkSelfSources(sources, true, ctx)
  checkPostureNames(rule.srcPosture, [...path, 'srcPosture'], ctx)
}
