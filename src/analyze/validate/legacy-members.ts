import type { JsonPath } from '../../model/diagnostic.js'
import { isObject } from './json-path.js'
import type { ValidationContext } from './context.js'

/**
 * `autogroup:members` is the old spelling of `autogroup:member`. Tailscale still reads it, but not
 * both in one file (kb/1337).
 */
export function checkLegacyMembers(ctx: ValidationContext): void {
  const found: Record<'member' | 'members', JsonPath[]> = { member: [], members: [] }
  visit(ctx.policy, [], (text, path) => {
    const trimmed = text.trim()
    if (trimmed === 'autogroup:member' || trimmed.startsWith('autogroup:member:')) found.member.push(path)
    if (trimmed === 'autogroup:members' || trimmed.startsWith('autogroup:members:')) found.members.push(path)
  })
  const [first] = found.members
  if (first === undefined) return
  if (found.member.length > 0) {
    ctx.error('mixed-member-autogroups', 'cannot use both `autogroup:member` and `autogroup:members` in the same policy file', first, 'replace `autogroup:members` with `autogroup:member`')
  } else {
    ctx.warning('deprecated-autogroup', '`autogroup:members` is the legacy spelling of `autogroup:member`', first, 'write `autogroup:member`')
  }
}

function visit(value: unknown, path: JsonPath, onString: (text: string, path: JsonPath) => void): void {
  if (typeof value === 'string') onString(value, path)
  else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i], onString))
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) visit(item, [...path, key], onString)
}
