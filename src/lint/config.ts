import { entriesOf } from '../analyze/flows.js'
import type { Diagnostic, JsonPath, Severity } from '../model/diagnostic.js'

/**
 * Lint settings, from `tailor.config.json` (`{"lint": {...}}`) or `package.json` (`"tailor": {"lint": {...}}`):
 * - `rules`: rule id → `error` | `warning` | `info` | `off`
 * - `services`: destination selector → the ports its service listens on (`{"tag:db": "5432"}`)
 * - `ignore`: `[{ "rule": id, "path": "grants[2]" | "match": "text in the message", "reason": "why" }]`,
 *   for policies written in the DSL, where there is no HuJSON comment to carry a `tailor-ignore`
 */
export interface LintConfig {
  readonly rules: Readonly<Record<string, Severity | 'off'>>
  readonly services: Readonly<Record<string, string>>
  readonly ignore: readonly LintIgnore[]
}

export interface LintIgnore {
  readonly rule: string
  /** the finding's JSON path as `tailor lint` prints it: `grants[2]`, `tagOwners["tag:x"]` */
  readonly path?: string
  /** text the finding's message contains */
  readonly match?: string
  readonly reason: string
}

export const emptyLintConfig: LintConfig = { rules: {}, services: {}, ignore: [] }

const levels = new Set(['error', 'warning', 'info', 'off'])

/** Reads the `lint` object; every problem is a diagnostic and the rest of the config still applies. */
export function parseLintConfig(value: unknown, file: string, base: JsonPath = ['lint']): { config: LintConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const problem = (path: JsonPath, message: string, hint: string): void => {
    diagnostics.push({ code: 'lint-config', severity: 'error', message, path: [...base, ...path], at: { file, line: 1, column: 1 }, hint })
  }
  const fields = new Map(entriesOf(value))
  const rules: Record<string, Severity | 'off'> = {}
  for (const [id, level] of entriesOf(fields.get('rules'))) {
    if (typeof level === 'string' && levels.has(level)) rules[id] = level as Severity | 'off'
    else problem(['rules', id], `lint rule \`${id}\` has level ${JSON.stringify(level)}`, 'use one of `error`, `warning`, `info`, `off`')
  }
  const services: Record<string, string> = {}
  for (const [selector, ports] of entriesOf(fields.get('services'))) {
    if (typeof ports === 'string') services[selector] = ports
    else if (typeof ports === 'number') services[selector] = String(ports)
    else problem(['services', selector], `service ports for \`${selector}\` must be a string like "5432" or "80,443"`, 'write the ports as a policy would: `"443"`, `"8000-8100"`')
  }
  const ignore: LintIgnore[] = []
  const list = fields.get('ignore')
  ;(Array.isArray(list) ? list : []).forEach((entry: unknown, i) => {
    const e = new Map(entriesOf(entry))
    const rule = e.get('rule')
    const reason = e.get('reason')
    const path = e.get('path')
    const match = e.get('match')
    if (typeof rule !== 'string') return problem(['ignore', i], 'an ignore entry needs the `rule` it silences', 'add `"rule": "<rule id>"`')
    if (typeof reason !== 'string' || reason.trim() === '') return problem(['ignore', i], `ignoring \`${rule}\` needs a reason`, 'add `"reason": "why this finding is deliberate"`')
    if (typeof path !== 'string' && typeof match !== 'string') return problem(['ignore', i], `ignoring \`${rule}\` needs a \`path\` or a \`match\``, 'name the finding: `"path": "grants[2]"` or `"match": "tag:monitoring"`')
    ignore.push({ rule, reason, ...(typeof path === 'string' ? { path } : {}), ...(typeof match === 'string' ? { match } : {}) })
  })
  return { config: { rules, services, ignore }, diagnostics }
}
