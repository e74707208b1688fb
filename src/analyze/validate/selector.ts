import type { JsonPath } from '../../model/diagnostic.js'
import { didYouMean } from '../../model/did-you-mean.js'
import { autogroupNames, parseAlias, roleAutogroups, type Alias } from '../parse/alias.js'
import { quote, type ValidationContext } from './context.js'

/** Where a selector stands; each place admits different kinds (kb/1396 targets and selectors). */
export type Position = 'src' | 'dst' | 'ssh-src' | 'ssh-dst' | 'node-attr' | 'tag-owner' | 'auto-approver'

export interface SelectorSite {
  readonly position: Position
  readonly path: JsonPath
  /** what Tailscale writes before a reason here: `src=`, `dst="tag:x:22": `, or nothing */
  readonly prefix: string
}

const userAutogroups = ['member', 'members', 'tagged', ...roleAutogroups]

/** Autogroups each position admits, by the name after `autogroup:`. */
const autogroupsAt: Readonly<Record<Position, readonly string[]>> = {
  src: [...userAutogroups, 'shared', 'danger-all'],
  dst: [...userAutogroups, 'internet', 'self'],
  'ssh-src': userAutogroups,
  'ssh-dst': [...userAutogroups, 'self'],
  'node-attr': userAutogroups,
  'tag-owner': userAutogroups,
  'auto-approver': userAutogroups,
}

const kindsAt: Readonly<Record<Position, ReadonlySet<Alias['kind']>>> = {
  src: new Set(['wildcard', 'user', 'user-domain', 'group', 'tag', 'autogroup', 'host', 'prefix', 'ip-range', 'ipset']),
  dst: new Set(['wildcard', 'user', 'user-domain', 'group', 'tag', 'autogroup', 'host', 'prefix', 'ip-range', 'ipset', 'service']),
  // kb/1396 lists no addresses among SSH sources, but a public file with hosts names as SSH sources
  // was applied through Tailscale's API, and SSH principals are device IPs: accepted
  'ssh-src': new Set(['user', 'user-domain', 'group', 'tag', 'autogroup', 'host', 'prefix']),
  'ssh-dst': new Set(['user', 'user-domain', 'group', 'tag', 'autogroup']),
  'node-attr': new Set(['wildcard', 'user', 'user-domain', 'group', 'tag', 'autogroup', 'host', 'prefix']),
  'tag-owner': new Set(['user', 'user-domain', 'group', 'tag', 'autogroup']),
  'auto-approver': new Set(['user', 'user-domain', 'group', 'tag', 'autogroup']),
}

const positionWords: Readonly<Record<Position, string>> = {
  src: 'a rule source',
  dst: 'a rule destination',
  'ssh-src': 'an SSH source',
  'ssh-dst': 'an SSH destination',
  'node-attr': 'a nodeAttrs target',
  'tag-owner': 'a tag owner',
  'auto-approver': 'an auto approver',
}

/**
 * Checks one selector where it stands: that it parses, that its kind and autogroup are allowed there,
 * and that the tag, group, host, IP set or domain it names exists. Returns the alias when it is usable,
 * so callers can check combinations (`autogroup:self` sources, SSH destinations).
 */
export function checkSelector(text: string, site: SelectorSite, ctx: ValidationContext): Alias | undefined {
  const alias = parseAlias(text)
  const { path, prefix, position } = site
  if ('error' in alias) {
    ctx.error('invalid-selector', `${prefix}${alias.error}`, path, 'a selector is `*`, a login, `group:`, `tag:`, `autogroup:`, `ipset:`, a hosts name, an IP or a CIDR')
    return undefined
  }
  if (alias.kind === 'autogroup') return checkAutogroup(alias, site, ctx) ? alias : undefined
  if (!kindsAt[position].has(alias.kind)) {
    notAllowed(alias, site, ctx)
    return undefined
  }
  switch (alias.kind) {
    case 'tag':
      if (!ctx.tags.has(alias.text)) {
        ctx.error('unknown-tag', `${prefix}tag not found: ${quote(alias.text)}`, path, portSuffixHint(alias.text, ctx) ?? undefinedHint(alias.text, ctx.tags, 'define it in `tagOwners`'))
        return undefined
      }
      return alias
    case 'group':
      // kb/1468: a file that refers to an undefined group cannot be saved; synced (SCIM) groups live outside it.
      // Tailscale's words are not captured: headscale's, after Tailscale's `src=`/`dst=` prefix
      if (!alias.synced && !ctx.groups.has(alias.text)) {
        ctx.error('unknown-group', `${prefix}group not defined in policy: ${quote(alias.text)}`, path, undefinedHint(alias.text, ctx.groups, 'define it in `groups`'))
        return undefined
      }
      return alias
    case 'host':
      if (!ctx.hosts.has(alias.name)) {
        ctx.error('unknown-host', `${prefix}${quote(alias.text)}: invalid address`, path, undefinedHint(alias.name, ctx.hosts.keys(), 'define it in `hosts`, or write a login with `@`'))
        return undefined
      }
      return alias
    case 'ipset':
      if (!ctx.ipsets.has(alias.text)) {
        ctx.error('unknown-ipset', `${prefix}ipset not found: ${quote(alias.text)}`, path, undefinedHint(alias.text, ctx.ipsets, 'define it in `ipsets`'))
        return undefined
      }
      return alias
    case 'user-domain':
      return checkDomain(alias.domain, site.position === 'ssh-src' ? '[ssh] ' : '', path, ctx) ? alias : undefined
    default:
      return alias
  }
}

/** `user:*@domain` and `localpart:*@domain` only name the tailnet's own domain (not checked without one). */
export function checkDomain(domain: string, prefix: string, path: JsonPath, ctx: ValidationContext): boolean {
  if (ctx.domain === undefined || domain === ctx.domain) return true
  ctx.error(
    'foreign-domain',
    `${prefix}${domain} is not associated with this Tailnet and cannot be used in user:*@<domain> expressions`,
    path,
    `this tailnet's domain is \`${ctx.domain}\`; name users of other domains one by one`,
  )
  return false
}

function checkAutogroup(alias: Alias & { kind: 'autogroup' }, site: SelectorSite, ctx: ValidationContext): boolean {
  const { path, prefix, position } = site
  if (!(autogroupNames as readonly string[]).includes(alias.name)) {
    const suggestion = didYouMean(alias.name, autogroupsAt[position])
    ctx.error(
      'unknown-autogroup',
      `${prefix}unknown autogroup ${quote(alias.text)}`,
      path,
      suggestion ? `did you mean \`autogroup:${suggestion}\`?` : `here Tailscale knows ${autogroupsAt[position].map((a) => `\`autogroup:${a}\``).join(', ')}`,
    )
    return false
  }
  if (autogroupsAt[position].includes(alias.name)) return true
  if (position === 'src' && alias.name === 'self') {
    ctx.error('invalid-selector', `${quote('autogroup:self')} not valid on the src side of a rule`, path, '`autogroup:self` is a destination: write the users in `src` and `autogroup:self` in `dst`')
  } else if (position === 'dst' && alias.name === 'danger-all') {
    ctx.error('invalid-selector', 'cannot use autogroup:danger-all as a dst', path, 'use `*` for every device')
  } else {
    notAllowed(alias, site, ctx)
  }
  return false
}

function notAllowed(alias: Alias, site: SelectorSite, ctx: ValidationContext): void {
  const { path, position } = site
  if (position === 'ssh-dst') {
    // Tailscale's form (`invalid dst "srv"` for a hosts name); for `*` the reason in headscale's words
    const why = alias.kind === 'wildcard' ? ': wildcard (*) is not supported as SSH destination' : ''
    ctx.error('invalid-selector', `invalid dst ${quote(alias.text)}${why}`, path, 'an SSH destination is a tag, `autogroup:self`, `autogroup:tagged`, `autogroup:member` or the source user')
    return
  }
  if (position === 'ssh-src') {
    ctx.error('invalid-selector', `invalid src ${quote(alias.text)}`, path, 'an SSH source is a login, a group, a tag, an autogroup such as `autogroup:member`, or a device address')
    return
  }
  const side = position === 'src' ? 'src' : position === 'dst' ? 'dst' : undefined
  // Tailscale's own sentence for `autogroup:self` as a source carries no `src=` prefix
  const message = side ? `${quote(alias.text)} not valid on the ${side} side of a rule` : `${quote(alias.text)} cannot be used as ${positionWords[position]}`
  ctx.error('invalid-selector', message, path, allowedHint(position))
}

function allowedHint(position: Position): string {
  switch (position) {
    case 'node-attr':
      return 'a nodeAttrs target is `*`, a login, a group, a tag, an autogroup such as `autogroup:member`, an IP or a hosts name'
    case 'tag-owner':
    case 'auto-approver':
      return 'this takes logins, groups, tags and autogroups such as `autogroup:member` or `autogroup:admin`'
    case 'src':
      return '`autogroup:internet`, `autogroup:self` and `svc:` services are destinations'
    default:
      return '`autogroup:shared` and `autogroup:danger-all` are sources'
  }
}

// `tag:server:22` in a grant or SSH destination: the tag exists, the port does not belong there
function portSuffixHint(text: string, ctx: ValidationContext): string | undefined {
  const base = text.replace(/:[0-9*,-]+$/, '')
  if (base === text || !ctx.tags.has(base)) return undefined
  return `\`${base}\` is defined: this destination takes no port (a grant's ports go in \`ip\`; SSH is always port 22)`
}

export function undefinedHint(name: string, defined: Iterable<string>, otherwise: string): string {
  const suggestion = didYouMean(name, defined)
  return suggestion ? `did you mean \`${suggestion}\`?` : otherwise
}
