import type { Grant } from '../../compile/tailnet-policy.js'
import type { JsonPath } from '../../model/diagnostic.js'
import type { Alias } from '../parse/alias.js'
import { parseGrantIp } from '../parse/grant-ip.js'
import { checkAppCapabilities } from './app-capabilities.js'
import { quote, type ValidationContext } from './context.js'
import { checkPostureNames } from './postures.js'
import { checkSelector, undefinedHint } from './selector.js'
import { checkSelfSources } from './self-sources.js'

/** `grants`: sources, destinations (no ports), `ip`, `app`, `via`, postures, `autogroup:self`. */
export function checkGrants(ctx: ValidationContext): void {
  ctx.policy.grants?.forEach((grant, index) => checkGrant(grant, ['grants', index], ctx))
}

function checkGrant(grant: Grant, path: JsonPath, ctx: ValidationContext): void {
  const sources: { alias: Alias; path: JsonPath }[] = []
  grant.src?.forEach((text, i) => {
    const where = [...path, 'src', i]
    const alias = checkSelector(text, { position: 'src', path: where, prefix: 'src=' }, ctx)
    if (alias) sources.push({ alias, path: where })
  })
  let selfDestination = false
  let internetDestination = false
  grant.dst?.forEach((text, i) => {
    const where = [...path, 'dst', i]
    const alias = checkSelector(text, { position: 'dst', path: where, prefix: 'dst=' }, ctx)
    if (alias?.kind === 'autogroup') {
      if (alias.name === 'self') selfDestination = true
      if (alias.name === 'internet') internetDestination = true
    }
    if (alias?.kind === 'prefix' && alias.prefix.bits === 0) {
      ctx.error('default-route-destination', `dst ${quote(alias.text)}: to allow all IP addresses, use "*" or "autogroup:internet"`, where, 'a grant destination of every address is `*` (devices and routes) or `autogroup:internet` (through exit nodes)')
    }
  })
  const hasIp = (grant.ip?.length ?? 0) > 0
  const hasApp = Object.keys(grant.app ?? {}).length > 0
  if (!hasIp && !hasApp) {
    ctx.error('empty-grant', 'ip and app can not both be empty', path, 'add `"ip": ["*"]` (or ports such as `"tcp:443"`) or an `app` capability')
  }
  grant.ip?.forEach((text, i) => {
    const parsed = parseGrantIp(text)
    if ('error' in parsed) ctx.error('invalid-ip', parsed.error, [...path, 'ip', i], 'an `ip` entry is `*`, a port or range (`443`, `80-443`), or `<proto>:<ports>` (`tcp:443`, `icmp:*`)')
  })
  if (grant.app) {
    checkAppCapabilities(grant.app, [...path, 'app'], 'grant', ctx)
    if (hasApp && internetDestination) {
      ctx.error('app-to-internet', 'cannot use app grants with autogroup:internet', [...path, 'app'], 'application capabilities apply to devices; grant them to tags or users, and keep `autogroup:internet` in an `ip`-only grant')
    }
  }
  grant.via?.forEach((text, i) => {
    const where = [...path, 'via', i]
    const trimmed = text.trim()
    if (!trimmed.startsWith('tag:')) {
      ctx.error('invalid-via', 'via can only be a tag', where, 'name the routers, exit nodes or app connectors by their tag, e.g. `tag:exit-us`')
    } else if (!ctx.tags.has(trimmed)) {
      ctx.error('unknown-tag', `tag ${quote(trimmed)} not found`, where, undefinedHint(trimmed, ctx.tags, 'define it in `tagOwners`'))
    }
  })
  if (selfDestination) checkSelfSources(sources, false, ctx)
  checkPostureNames(grant.srcPosture, [...path, 'srcPosture'], ctx)
}
