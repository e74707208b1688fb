import type { CheckReport } from '../analyze/check.js'
import { checkPolicy } from '../analyze/check.js'
import { renderHujson } from '../compile/render-hujson.js'
import { loadPolicy } from '../io/load-policy.js'
import { readInventory } from '../io/read-inventory.js'
import { hasErrors, type Diagnostic, type SourceMap } from '../model/diagnostic.js'
import { redact } from '../model/redact.js'

export interface CheckedPolicyOptions {
  /** a DSL module or a policy file, relative to `cwd` */
  readonly policy: string
  /** an inventory to run the tests on; default: the synthetic one `tailor check` uses */
  readonly nodes?: string | undefined
  readonly tailnet?: string | undefined
  readonly cwd?: string
}

export type CheckedPolicy =
  | { readonly ok: true; readonly hujson: string; readonly testsPassed: number }
  /** `problems`: what failed, one finding a line, each with the line to fix */
  | { readonly ok: false; readonly problems: string }

/**
 * The policy file to apply, only if `tailor check` would pass it: same loading, same validation, same
 * tests. A DSL policy is applied as `tailor build` prints it; a policy file exactly as written.
 */
export async function checkedPolicy(options: CheckedPolicyOptions): Promise<CheckedPolicy> {
  const cwd = options.cwd ?? process.cwd()
  const loaded = await loadPolicy(options.policy, cwd)
  if (!loaded.ok) return refuse(options.policy, loaded.diagnostics, 'it cannot be loaded')
  let inventory
  if (options.nodes !== undefined) {
    const read = await readInventory(options.nodes, cwd)
    if (!read.inventory) return refuse(options.policy, read.diagnostics, `the inventory \`${options.nodes}\` cannot be read`)
    inventory = read.inventory
  }
  if (hasErrors(loaded.diagnostics)) return refuse(options.policy, locate(loaded.diagnostics, loaded.sourceMap), 'the policy is not valid')
  const report: CheckReport = checkPolicy(loaded.policy, { ...(inventory ? { inventory } : {}), ...(options.tailnet ? { tailnet: options.tailnet } : {}) })
  const diagnostics = locate([...loaded.diagnostics, ...report.diagnostics], loaded.sourceMap)
  if (hasErrors(diagnostics) || report.tests.failed > 0) {
    const failing = report.tests.results.filter((r) => !r.passed).map((r) => `${r.src} → ${r.dst ?? '?'}${r.login !== undefined ? ` as ${r.login}` : ''}`)
    const summary = failing.length > 0 ? `${failing.length} of ${report.tests.results.length} tests failed (${failing.join('; ')})` : 'the policy is not valid'
    return refuse(options.policy, diagnostics, summary)
  }
  const hujson = loaded.compiled ? renderHujson(loaded.compiled) : loaded.text ?? `${JSON.stringify(loaded.policy, null, 2)}\n`
  return { ok: true, hujson, testsPassed: report.tests.passed }
}

function refuse(policy: string, diagnostics: readonly Diagnostic[], why: string): CheckedPolicy {
  const lines = diagnostics.filter((d) => d.severity === 'error').map((d) => {
    const where = d.at ? `${d.at.file}:${d.at.line}:${d.at.column}  ` : ''
    return `  ${where}${d.code}  ${d.message}${d.hint ? `\n    → ${d.hint}` : ''}`
  })
  return { ok: false, problems: redact(`refusing to apply \`${policy}\`: ${why}; \`tailor check --policy ${policy}\` shows the same\n${lines.join('\n')}`) }
}

function locate(diagnostics: readonly Diagnostic[], sourceMap: SourceMap): Diagnostic[] {
  return diagnostics.map((d) => {
    const at = d.at ?? (d.path ? sourceMap.locate(d.path) : undefined)
    return at ? { ...d, at } : d
  })
}
