import { parseAlias } from '../parse/alias.js'
import { quote, type ValidationContext } from './context.js'

/**
 * `groups`: `group:<name>` → user logins. Groups may not contain groups (kb/1337: nesting would hide
 * who is in a group). Tailscale names the first offending pair in descending key order, so the
 * findings are listed that way (`a → b → c` reports `groups["group:b"]: "group:c"` first).
 */
export function checkGroups(ctx: ValidationContext): void {
  const groups = ctx.policy.groups ?? {}
  for (const name of Object.keys(groups).sort().reverse()) {
    const path = ['groups', name]
    if (!name.startsWith('group:') || name.length === 'group:'.length) {
      ctx.error('invalid-group-name', `group must start with 'group:', got: ${quote(name)}`, path, 'write `group:<name>`')
    }
    groups[name]?.forEach((member, index) => {
      const where = [...path, index]
      const trimmed = member.trim()
      if (trimmed.startsWith('group:')) {
        ctx.error('nested-group', `groups[${quote(name)}]: ${quote(trimmed)}: group members cannot be recursive`, where, `list the members of \`${trimmed}\` here instead; groups cannot contain groups`)
        return
      }
      const alias = parseAlias(trimmed)
      if ('error' in alias || (alias.kind !== 'user' && alias.kind !== 'user-domain')) {
        ctx.error('invalid-group-member', `groups[${quote(name)}]: ${quote(trimmed)}: group members must be users`, where, 'a group lists login names such as `alice@example.com`; tags, autogroups and addresses cannot be members')
      }
    })
  }
}
