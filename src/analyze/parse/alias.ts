import { fail, type ParseFailure } from './failure.js'
import { parseIpPrefix, parseIpRange, type IpPrefix, type IpRange } from './ip.js'

/**
 * What one selector string in `src`, `dst`, `target`, owners or approvers names. Parsing only
 * classifies; whether a kind is allowed where it stands and whether a name is defined is the
 * validator's business (`validate-policy.ts`), because the answer depends on the position.
 *
 * Order, after trimming spaces as Tailscale does: `*`; the prefixed forms (`autogroup:`, `group:`,
 * `tag:`, `ipset:`, `svc:`, `user:`, `host:`); an IP or CIDR; an IP range `a-b`; anything with `@`
 * is a user login; a name without `:` is a `hosts` alias.
 */
export type Alias =
  | { readonly kind: 'wildcard'; readonly text: '*' }
  | { readonly kind: 'user'; readonly text: string; readonly login: string }
  | { readonly kind: 'user-domain'; readonly text: string; readonly domain: string }
  | { readonly kind: 'group'; readonly text: string; readonly name: string; readonly synced: boolean }
  | { readonly kind: 'tag'; readonly text: string; readonly name: string }
  | { readonly kind: 'autogroup'; readonly text: string; readonly name: string }
  | { readonly kind: 'host'; readonly text: string; readonly name: string }
  | { readonly kind: 'prefix'; readonly text: string; readonly prefix: IpPrefix; readonly single: boolean }
  | { readonly kind: 'ip-range'; readonly text: string; readonly range: IpRange }
  | { readonly kind: 'ipset'; readonly text: string; readonly name: string }
  | { readonly kind: 'service'; readonly text: string; readonly name: string }

export type AliasKind = Alias['kind']

/** Every autogroup Tailscale knows, by the part after `autogroup:`. */
export const autogroupNames = [
  'internet',
  'self',
  'member',
  'members',
  'tagged',
  'shared',
  'danger-all',
  'nonroot',
  'owner',
  'admin',
  'it-admin',
  'network-admin',
  'billing-admin',
  'auditor',
] as const

/** Autogroups that stand for users by tailnet role (matched by the user's role, not devices' tags). */
export const roleAutogroups: ReadonlySet<string> = new Set(['owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor'])

export function parseAlias(raw: string): Alias | ParseFailure {
  const text = raw.trim()
  if (text === '') return fail('empty alias')
  if (text === '*') return { kind: 'wildcard', text: '*' }
  const named = prefixed(text)
  if (named) return named
  const prefix = parseIpPrefix(text)
  if (prefix) return { kind: 'prefix', text, prefix, single: !text.includes('/') }
  const range = parseIpRange(text)
  if (range) return 'error' in range ? range : { kind: 'ip-range', text, range }
  if (text.includes('@')) return { kind: 'user', text, login: text }
  if (!text.includes(':')) return { kind: 'host', text, name: text }
  return fail(`${JSON.stringify(text)}: invalid address`)
}

function prefixed(text: string): Alias | ParseFailure | undefined {
  const colon = text.indexOf(':')
  if (colon < 0) return undefined
  const scheme = text.slice(0, colon)
  const name = text.slice(colon + 1)
  switch (scheme) {
    case 'autogroup':
      return name === '' ? fail(`invalid autogroup ${JSON.stringify(text)}`) : { kind: 'autogroup', text, name }
    case 'group':
      return name === '' ? fail(`invalid group name ${JSON.stringify(text)}`) : { kind: 'group', text, name, synced: name.includes('@') }
    case 'tag':
      return { kind: 'tag', text, name }
    case 'ipset':
      return name === '' ? fail(`invalid IP set name ${JSON.stringify(text)}`) : { kind: 'ipset', text, name }
    case 'svc':
      return name === '' ? fail(`invalid service name ${JSON.stringify(text)}`) : { kind: 'service', text, name }
    case 'host':
      return name === '' || name.includes('@') || name.includes(':') ? fail(`invalid host name ${JSON.stringify(text)}`) : { kind: 'host', text, name }
    case 'user': {
      const at = name.lastIndexOf('@')
      const local = at < 0 ? name : name.slice(0, at)
      const domain = at < 0 ? '' : name.slice(at + 1)
      if (local !== '*' || domain === '') return fail(`invalid user selector ${JSON.stringify(text)}: expected user:*@<domain>`)
      return { kind: 'user-domain', text, domain }
    }
    default:
      return undefined
  }
}

/** Why a tag name is malformed (Tailscale's words), or undefined when it is fine. */
export function tagNameProblem(tag: string): string | undefined {
  if (!tag.startsWith('tag:')) return `tag must start with 'tag:', got: ${JSON.stringify(tag)}`
  const name = tag.slice(4)
  if (!/^[A-Za-z]/.test(name)) return "tag names must start with a letter, after 'tag:'"
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) return "tag names can only contain numbers, letters, dashes, underscores, or periods, after 'tag:'"
  return undefined
}
