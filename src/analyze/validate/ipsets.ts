import { parseAlias } from '../parse/alias.js'
import { quote, type ValidationContext } from './context.js'

/**
 * `ipsets`: `ipset:<name>` → `add <target>` / `remove <target>` operations (or bare targets when the
 * set only adds). Targets are IPs, CIDRs, ranges, `host:<name>`, `autogroup:internet` and other sets,
 * without cycles.
 */
export function checkIpsets(ctx: ValidationContext): void {
  const ipsets = ctx.policy.ipsets ?? {}
  const references = new Map<string, string[]>()
  for (const [name, operations] of Object.entries(ipsets)) {
    const path = ['ipsets', name]
    if (!name.startsWith('ipset:') || name.length === 'ipset:'.length) {
      ctx.error('invalid-ipset-name', `ipset must start with 'ipset:', got: ${quote(name)}`, path, 'write `ipset:<name>`')
    }
    const removes = operations.some((op) => /^\s*remove\s/.test(op))
    const used: string[] = []
    operations.forEach((operation, index) => {
      const where = [...path, index]
      const match = /^\s*(?:(add|remove)\s+)?(\S+)\s*$/.exec(operation)
      if (!match?.[2]) {
        ctx.error('invalid-ipset-entry', `${quote(operation)}: invalid IP set operation`, where, 'write `add <target>` or `remove <target>`')
        return
      }
      if (match[1] === undefined && removes) {
        ctx.error('invalid-ipset-entry', `${quote(operation)}: operation must be "add" or "remove" in a set that removes`, where, 'write `add` before each target once the set uses `remove`')
      }
      const target = match[2]
      const alias = parseAlias(target)
      if ('error' in alias) {
        ctx.error('invalid-ipset-entry', `${quote(target)}: invalid address`, where, 'an IP set holds IPs, CIDRs, ranges `a-b`, `host:<name>`, `autogroup:internet` and other `ipset:` names')
        return
      }
      switch (alias.kind) {
        case 'prefix':
        case 'ip-range':
          return
        case 'host':
          if (!target.startsWith('host:')) ctx.error('invalid-ipset-entry', `${quote(target)}: invalid address`, where, `a hosts entry in an IP set is written \`host:${alias.name}\``)
          else if (!ctx.hosts.has(alias.name)) ctx.error('unknown-host', `host not found: ${quote(target)}`, where, 'define it in `hosts`')
          return
        case 'autogroup':
          if (alias.name !== 'internet') ctx.error('invalid-ipset-entry', `${quote(target)} cannot be used in an IP set`, where, '`autogroup:internet` is the only autogroup an IP set may hold')
          return
        case 'ipset':
          if (!ctx.ipsets.has(alias.text)) ctx.error('unknown-ipset', `ipset not found: ${quote(target)}`, where, 'define it in `ipsets`')
          else used.push(alias.text)
          return
        default:
          ctx.error('invalid-ipset-entry', `${quote(target)} cannot be used in an IP set`, where, 'IP sets hold addresses only: no users, groups or tags')
      }
    })
    references.set(name, used)
  }
  for (const name of cyclic(references)) {
    ctx.error('ipset-cycle', `ipsets[${quote(name)}]: IP sets cannot reference themselves, directly or through other sets`, ['ipsets', name], 'break the loop of `ipset:` references')
  }
}

function cyclic(references: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = []
  for (const start of references.keys()) {
    const seen = new Set<string>()
    const stack = [...(references.get(start) ?? [])]
    while (stack.length > 0) {
      const next = stack.pop()!
      if (next === start) {
        found.push(start)
        break
      }
      if (seen.has(next)) continue
      seen.add(next)
      stack.push(...(references.get(next) ?? []))
    }
  }
  return found
}
