import type { Argv } from 'yargs'
import type { Explanation } from '../../analyze/explain.js'
import type { JsonPath } from '../../model/diagnostic.js'
import type { TailorCommand } from '../command.js'
import { jsonOption, nodesOption, policyOption } from '../policy-input.js'

interface ExplainArgs {
  readonly policy: string
  readonly src: string
  readonly dst: string
  readonly proto: string | undefined
  readonly nodes: string | undefined
  readonly json: boolean
}

export const command: TailorCommand<ExplainArgs> = {
  command: 'explain <src> <dst>',
  describe: 'say whether SRC may reach DST:PORT, and which rules allow it or nearly do (exit 0 allowed, 1 denied)',
  builder: (yargs: Argv) =>
    yargs
      .positional('src', { type: 'string', describe: 'who connects: a device name, user, group, tag, host or address' })
      .positional('dst', { type: 'string', describe: 'where to, with the port: tag:web:443, db-1:5432, [fd7a:115c:a1e0::1]:22' })
      .option('policy', policyOption)
      .option('proto', { type: 'string', requiresArg: true, describe: 'tcp, udp, icmp or an IP protocol number (default: tcp or udp)' })
      .option('nodes', nodesOption)
      .option('json', jsonOption)
      .example('$0 explain tag:frontend tag:backend:8080', 'allowed, and by which grant')
      .example('$0 explain web-1 db-1:5432 --nodes x.json', 'between two devices') as unknown as Argv<ExplainArgs>,
  async run(args, { terminal, cwd }) {
    const [{ loadPolicyOnDevices }, print, { explain }, { hasErrors }] = await Promise.all([
      import('../policy-on-devices.js'),
      import('../print.js'),
      import('../../analyze/explain.js'),
      import('../../model/diagnostic.js'),
    ])
    const target = splitPort(args.dst)
    if (!target) {
      print.printError(terminal, `tailor: \`${args.dst}\` names no port\n  → write the destination with its port: \`tag:web:443\`, \`db-1:5432\`, \`[fd7a:115c:a1e0::1]:22\``)
      return 2
    }
    const loaded = await loadPolicyOnDevices(args, { terminal, cwd })
    if (typeof loaded === 'number') return loaded
    const { policy, inventory } = loaded
    const answer = explain(policy, inventory, { src: args.src, dst: target.host, port: target.port, ...(args.proto !== undefined ? { proto: args.proto } : {}) })
    const where = (path: JsonPath) => {
      const at = loaded.sourceMap.locate(path)
      return at ? `${print.displayPath(at.file, cwd)}:${at.line}:${at.column}` : undefined
    }
    const code = hasErrors(answer.diagnostics) ? 2 : answer.allowed ? 0 : 1
    if (args.json) {
      print.printJson(terminal, {
        ...answer,
        diagnostics: answer.diagnostics.map((d) => print.diagnosticJson(d, cwd)),
        allowedBy: answer.allowedBy.map((path) => ({ path, at: where(path) ?? null })),
        nearest: answer.nearest.map((miss) => ({ ...miss, at: where(miss.rule) ?? null })),
      })
      return code
    }
    if (code === 2) {
      terminal.err(print.renderDiagnostics(answer.diagnostics, cwd))
      return code
    }
    if (!loaded.realDevices) print.printText(terminal, '(no --nodes: one made-up device per name the policy uses)')
    print.printText(terminal, renderExplanation(answer, args, target.port, policy, where))
    return code
  },
}

/** `tag:web:443` → `tag:web` and 443; `[fd7a::1]:22` → `fd7a::1` and 22 */
export function splitPort(destination: string): { readonly host: string; readonly port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|(.+)):(\d+)$/.exec(destination.trim())
  if (!match) return undefined
  return { host: (match[1] ?? match[2])!, port: Number(match[3]) }
}

function renderExplanation(answer: Explanation, args: ExplainArgs, port: number, policy: unknown, where: (path: JsonPath) => string | undefined): string {
  const how = args.proto ? `${args.proto} port ${port}` : `port ${port} (tcp or udp)`
  const lines = [`${answer.allowed ? '✓ allowed' : '✗ denied'}: ${args.src} → ${args.dst.replace(/:\d+$/, '')} on ${how}`]
  if (answer.allowed) {
    for (const path of answer.allowedBy) lines.push(`  by ${ruleName(path)}${located(where(path))}  ${ruleText(policy, path)}`)
  } else {
    if (answer.refused.length > 0 && answer.allowedBy.length > 0) lines.push(`  refused for ${answer.refused.join(', ')} (every source device must get through)`)
    for (const path of answer.allowedBy) lines.push(`  allows only some sources: ${ruleName(path)}${located(where(path))}`)
    if (answer.nearest.length === 0 && answer.allowedBy.length === 0) lines.push('  no rule comes close: nothing allows this source to reach this destination')
    for (const miss of answer.nearest) lines.push(`  nearest: ${miss.message}${located(where(miss.rule))}`)
  }
  return lines.join('\n')
}

function located(at: string | undefined): string {
  return at ? ` (${at})` : ''
}

function ruleName(path: JsonPath): string {
  return `${String(path[0])}[${String(path[1])}]`
}

function ruleText(policy: unknown, path: JsonPath): string {
  let value: unknown = policy
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined
  return value === undefined ? '' : JSON.stringify(value)
}
