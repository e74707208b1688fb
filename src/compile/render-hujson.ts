import type { OriginComment } from './compile.js'
import type { TailnetPolicy } from './tailnet-policy.js'

const width = 110

const header = [
  '// Tailscale policy file, compiled by tailor from the policy written in TypeScript (policy/).',
  '// Edit the policy there and run `tailor build`: changes made to this file are overwritten.',
]

/**
 * The compiled policy as HuJSON, Tailscale's own format: each rule preceded by a comment naming the
 * DSL call that produced it by stable names (`allow(tag.frontend).to(service.api)`), never by
 * file and line, so moving code around does not change the applied file. Short elements stay on one line.
 */
export function renderHujson(compiled: { readonly policy: TailnetPolicy; readonly comments?: readonly OriginComment[] }): string {
  const comments = new Map<string, readonly string[]>()
  // containers holding a commented element must break lines so each comment sits above its element
  const commented = new Set<string>()
  for (const comment of compiled.comments ?? []) {
    comments.set(JSON.stringify(comment.path), comment.lines)
    for (let depth = 0; depth < comment.path.length; depth++) commented.add(JSON.stringify(comment.path.slice(0, depth)))
  }

  const print = (value: unknown, indent: string, path: readonly (string | number)[]): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
    const forced = path.length <= 1 || commented.has(JSON.stringify(path))
    const compact = inline(value)
    if (!forced && indent.length + compact.length <= width) return compact
    const inner = `${indent}  `
    const lines: string[] = []
    const items: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value)
    if (items.length === 0) return compact
    items.forEach(([key, item], index) => {
      const childPath = [...path, key]
      if (path.length === 0 && index > 0) lines.push('')
      for (const line of comments.get(JSON.stringify(childPath)) ?? []) lines.push(`${inner}// ${line.replace(/[\r\n]+/g, ' ')}`)
      const label = typeof key === 'string' ? `${JSON.stringify(key)}: ` : ''
      lines.push(`${inner}${label}${print(item, inner, childPath)},`)
    })
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
    return `${open}\n${lines.join('\n')}\n${indent}${close}`
  }

  return `${header.join('\n')}\n${print(compiled.policy, '', [])}\n`
}

function inline(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`)
    .join(', ')}}`
}
