import type { JsonPath } from '../../model/diagnostic.js'
import { roleAutogroups, type Alias } from '../parse/alias.js'
import type { ValidationContext } from './context.js'

/**
 * `autogroup:self` narrows a rule to each user's own devices, so its sources must be users: logins,
 * groups, domain users, `autogroup:member` or a role. ACLs also accept `*` (narrowed per device);
 * grants do not (captured: the same `*` → `autogroup:self` is 200 as an ACL and 400 as a grant).
 */
export function checkSelfSources(sources: readonly { alias: Alias; path: JsonPath }[], allowWildcard: boolean, ctx: ValidationContext): void {
  for (const { alias, path } of sources) {
    if (isUserSource(alias) || (allowWildcard && alias.kind === 'wildcard')) continue
    ctx.error(
      'invalid-self-source',
      'autogroup:self can only be used with users, groups, or supported autogroups',
      path,
      `\`${alias.text}\` is not a user; move \`autogroup:self\` to a rule whose sources are users, groups or \`autogroup:member\``,
    )
  }
}

export function isUserSource(alias: Alias): boolean {
  switch (alias.kind) {
    case 'user':
    case 'user-domain':
    case 'group':
      return true
    case 'autogroup':
      return alias.name === 'member' || alias.name === 'members' || roleAutogroups.has(alias.name)
    default:
      return false
  }
}
