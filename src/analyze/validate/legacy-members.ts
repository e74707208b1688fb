import type { JsonPath } from '../../model/diagnostic.js'
import { isObject } from './json-path.js'
import type { ValidationContext } from './context.js'

/**
 * `autogroup:members` is the old spelling of `autogroup:member`. Tailscale still reads it, but not
 * both in one file (kb/1337).
 */
export function checkLegacyMembers(ctx: ValidationContext): void {
  // almost no policy has the old spelling: look for it before finding where everything is
  if (!anyString(ctx.policy, (text) => isMembers(text.trim()))) return
  const found: Record<'member' | 'members', JsonPath[]> = { member: [], members: [] }
  visit(ctx.policy, [], (text, path) => {
    const trimmed = text.trim()
    if (trimmed === 'autogroup:member' || trimmed.startsWith('autogroup:member:')) found.member.push(path)
    if (isMembers(trimmed)) found.members.push(path)
  })
  const [first] = found.members
  if (first === undefined) return
  if (found.member.length > 0) {
    ctx.error('mixed-member-autogroups', 'cannot use both `autogroup:member` and `autogroup:members` in the same policy file', first, 'replace `autogroup:members` with `autogroup:member`')
  } else {
    ctx.warning('deprecated-autogroup', '`autogroup:members` is the legacy spelling of `autogroup:member`', first, 'write `autogroup:member`')
  }
}

function isMembers(trimmed: string): boolean {
  return trimmed === 'autogroup:members' || trimmed.startsWith('autogroup:members:')
}

// parts that hold no selectors: capability parameters, DERP and attribute settings
const opaque: ReadonlySet<string> = new Set(['app', 'derpMap', 'attrConfig', 'srcPostureAttrs', 'postures'])

interface Visit {
  readonly value: unknown
  readonly key: string | number | undefined
  readonly parent: Visit | undefined
}

// iterative, with paths built only for the strings found: values may nest deeper than the call stack
function visit(root: unknown, rootPath: JsonPath, onString: (text: string, path: JsonPath) => void): void {
  const stack: Visit[] = [{ value: root, key: undefined, parent: undefined }]
  const found: Visit[] = []
  while (stack.length > 0) {
    const node = stack.pop()!
    const { value } = node
    if (typeof value === 'string') found.push(node)
    else if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, key: i, parent: node }))
    else if (isObject(value)) for (const [key, item] of Object.entries(value)) if (!opaque.has(key)) stack.push({ value: item, key, parent: node })
  }
  // the stack visits right to left: reversed, the first finding is the first occurrence
  for (const node of found.reverse()) onString(node.value as string, [...rootPath, ...pathOf(node)])
}

/** Whether a string that {@link visit} would report passes `test`, without building a path for each. */
function anyString(root: unknown, test: (text: string) => boolean): boolean {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value === 'string') {
      if (test(value)) return true
    } else if (Array.isArray(value)) for (const item of value) stack.push(item)
    else if (isObject(value)) for (const key of Object.keys(value)) if (!opaque.has(key)) stack.push((value as Record<string, unknown>)[key])
  }
  return false
}

function pathOf(node: Visit): (string | number)[] {
  const path: (string | number)[] = []
  for (let at: Visit | undefined = node; at?.key !== undefined; at = at.parent) path.push(at.key)
  return path.reverse()
}
