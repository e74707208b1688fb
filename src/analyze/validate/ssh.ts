import type { SshRule } from '../../compile/tailnet-policy.js'
import type { JsonPath } from '../../model/diagnostic.js'
import type { Alias } from '../parse/alias.js'
import { formatGoDuration, parseGoDuration } from '../parse/duration.js'
import { quote, type ValidationContext } from './context.js'
import { checkPostureNames } from './postures.js'
import { checkDomain, checkSelector, undefinedHint } from './selector.js'
import { checkSelfSources, isUserSource } from './self-sources.js'

const maxCheckPeriod = 168n * 3_600_000_000_000n

/** `ssh` rules: action, users, checkPeriod, acceptEnv, and which sources may reach which destinations. */
export function checkSshRules(ctx: ValidationContext): void {
  ctx.policy.ssh?.forEach((rule, index) => checkSshRule(rule, ['ssh', index], ctx))
}

function checkSshRule(rule: SshRule, path: JsonPath, ctx: ValidationContext): void {
  // Tailscale trims the action but compares it case-sensitively (" accept" passes, "Accept" does not)
  const action = (rule.action ?? '').trim()
  if (action === '') ctx.error('invalid-action', 'action must be specified', [...path, 'action'], 'write `"action": "accept"` or `"action": "check"`')
  else if (action !== 'accept' && action !== 'check') {
    ctx.error('invalid-action', `${quote(action)} is not a valid action`, [...path, 'action'], 'an SSH action is `accept` or `check`, in lowercase')
  }
  checkUsers(rule, path, ctx)
  if (rule.checkPeriod !== undefined) {
    checkPeriod(rule.checkPeriod, [...path, 'checkPeriod'], ctx)
    // kb/1193 documents checkPeriod for check mode only; headscale rejects it elsewhere, while no capture
    // shows Tailscale doing so: a warning, in headscale's words
    if (action === 'accept') {
      ctx.warning('check-period-ignored', 'checkPeriod has no effect on an `accept` rule (headscale rejects it: checkPeriod is only valid with action "check")', [...path, 'checkPeriod'], 'remove `checkPeriod`, or make the rule `"action": "check"`')
    }
  }
  rule.acceptEnv?.forEach((name, i) => {
    if (name.trim() === '') ctx.error('invalid-accept-env', 'acceptEnv values cannot be empty', [...path, 'acceptEnv', i], 'list variable names or patterns such as `GIT_*`')
  })
  const sources: { alias: Alias; path: JsonPath }[] = []
  rule.src?.forEach((text, i) => {
    const where = [...path, 'src', i]
    const alias = checkSelector(text, { position: 'ssh-src', path: where, prefix: '' }, ctx)
    if (alias) sources.push({ alias, path: where })
  })
  rule.dst?.forEach((text, i) => {
    const where = [...path, 'dst', i]
    const alias = checkSelector(text, { position: 'ssh-dst', path: where, prefix: '' }, ctx)
    if (alias) checkDestination(alias, where, sources, ctx)
  })
  if (action === 'check') {
    for (const source of sources) {
      if (source.alias.kind === 'tag' || (source.alias.kind === 'autogroup' && source.alias.name === 'tagged')) {
        ctx.warning('check-from-tag', `\`${source.alias.text}\` cannot pass a check: tagged devices have no user to re-authenticate`, source.path, 'kb/1193: an SSH rule from a tagged device cannot be in check mode; use `accept` for tags')
      }
    }
  }
  rule.recorder?.forEach((text, i) => {
    const tag = text.trim()
    if (!tag.startsWith('tag:')) ctx.error('invalid-recorder', `recorder ${quote(tag)} must be a tag`, [...path, 'recorder', i], 'name the session recorders by their tag, e.g. `tag:recorder`')
    else if (!ctx.tags.has(tag)) ctx.error('unknown-tag', `tag not found: ${quote(tag)}`, [...path, 'recorder', i], undefinedHint(tag, ctx.tags, 'define it in `tagOwners`'))
  })
  checkPostureNames(rule.srcPosture, [...path, 'srcPosture'], ctx)
}

function checkUsers(rule: SshRule, path: JsonPath, ctx: ValidationContext): void {
  if (rule.users === undefined || rule.users.length === 0) {
    ctx.error('missing-users', 'users must be specified', [...path, 'users'], 'list the login names allowed, e.g. `["autogroup:nonroot", "root"]`')
    return
  }
  rule.users.forEach((user, i) => {
    const where = [...path, 'users', i]
    const trimmed = user.trim()
    if (trimmed === '' || trimmed === '*') {
      ctx.error('invalid-ssh-user', `user ${quote(trimmed)} is not valid`, where, '`autogroup:nonroot` allows every login except root')
      return
    }
    // only the exact `localpart:*@<domain>` form is special; other spellings are literal login names
    const localpart = /^localpart:\*@(.+)$/.exec(trimmed)
    if (localpart?.[1] !== undefined) checkDomain(localpart[1], '', where, ctx)
  })
}

function checkPeriod(text: string, path: JsonPath, ctx: ValidationContext): void {
  if (text.trim() === 'always') return
  const duration = parseGoDuration(text.trim())
  if (typeof duration !== 'bigint') {
    ctx.error('invalid-check-period', duration.error, path, 'write a duration such as `12h` or `30m`, or `always`')
  } else if (duration < 0n) {
    ctx.error('invalid-check-period', `checkPeriod ${formatGoDuration(duration)} must be a positive duration`, path, 'write a duration such as `12h`')
  } else if (duration > maxCheckPeriod) {
    ctx.error('invalid-check-period', `checkPeriod ${formatGoDuration(duration)} is above the max (168h)`, path, 'the longest check period is `168h` (one week)')
  }
}

/**
 * kb/1193: tagged sources reach only tagged devices; users reach their own devices (`autogroup:self`)
 * or a user destination only from that same user.
 */
function checkDestination(alias: Alias, path: JsonPath, sources: readonly { alias: Alias; path: JsonPath }[], ctx: ValidationContext): void {
  if (alias.kind === 'autogroup' && alias.name === 'self') {
    checkSelfSources(sources, false, ctx)
    return
  }
  const userOwned = alias.kind === 'user' || alias.kind === 'group' || alias.kind === 'user-domain' || (alias.kind === 'autogroup' && isUserSource(alias))
  if (!userOwned) return
  const tagged = sources.filter((s) => s.alias.kind === 'tag' || (s.alias.kind === 'autogroup' && s.alias.name === 'tagged'))
  for (const source of tagged) {
    // headscale's words (Tailscale's are not captured); it has its own sentence for autogroup:member
    const message = alias.kind === 'autogroup' && (alias.name === 'member' || alias.name === 'members') ? `tags in SSH source cannot access ${alias.text} (user-owned devices)` : `tags in SSH source cannot access user-owned devices (${alias.text})`
    ctx.error('invalid-ssh-destination', message, source.path, 'tagged devices may only SSH into tagged devices: use tags as destinations')
  }
  if (alias.kind !== 'user') return
  const others = sources.filter((s) => !tagged.includes(s) && !(s.alias.kind === 'user' && s.alias.login.toLowerCase() === alias.login.toLowerCase()))
  if (others.length > 0) {
    ctx.error('invalid-ssh-destination', `user destination requires source to contain only that same user ${quote(alias.text)}`, path, 'use `autogroup:self` for users reaching their own devices')
  }
}
