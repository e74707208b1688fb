import type { Argv } from 'yargs'
import type { TailnetPolicy } from '../../compile/tailnet-policy.js'
import type { LintConfig } from '../../lint/config.js'
import type { Diagnostic, Severity } from '../../model/diagnostic.js'
import type { TailorCommand } from '../command.js'
import { jsonOption, policyOption } from '../policy-input.js'

interface LintArgs {
  readonly policy: string
  readonly json: boolean
  readonly config: string | undefined
  readonly failOn: Severity | 'never'
  readonly annotations: boolean | undefined
}

export const command: TailorCommand<LintArgs> = {
  command: 'lint',
  describe: 'least-privilege review: wildcards, shadowed and duplicate rules, wide port ranges, untested rules, unused names',
  builder: (yargs: Argv) =>
    yargs
      .option('policy', policyOption)
      .option('json', { ...jsonOption, describe: 'print {"ok", "diagnostics", "suppressed"}' })
      .option('config', { type: 'string', requiresArg: true, describe: 'lint settings (default: tailor.config.json, else "tailor" in package.json)' })
      .option('fail-on', { choices: ['error', 'warning', 'info', 'never'] as const, default: 'warning' as const, describe: 'exit 1 when a finding is at least this severe' })
      .option('annotations', { type: 'boolean', describe: 'print GitHub annotations and a job summary (default: when GITHUB_ACTIONS=true)' })
      .example('$0 lint', 'lint policy/index.ts')
      .example('$0 lint --policy policy.hujson --json', 'lint a policy file, machine-readable')
      .epilogue(
        'Opt out of one finding with a reason: in HuJSON, `// tailor-ignore <rule>: <reason>` on the line or the line above; in the DSL, `.because(\'tailor-ignore <rule>: <reason>\')` on the rule; for any policy, `{"lint": {"ignore": [{"rule", "path" or "match", "reason"}]}}` in tailor.config.json. Set levels with `{"lint": {"rules": {"<rule>": "error" | "warning" | "info" | "off"}}}`.',
      ) as unknown as Argv<LintArgs>,
  async run(args, { terminal, cwd }) {
    const [{ loadPolicyInput, loadFailureExitCode, locateDiagnostics }, print, { lintPolicy }, { inlineSuppressions, optOutsFromComments }, github] = await Promise.all([
      import('../policy-input.js'),
      import('../print.js'),
      import('../../lint/lint.js'),
      import('../../lint/suppressions.js'),
      import('../github.js'),
    ])
    const settings = await readLintConfig(args.config, cwd)
    if (settings.diagnostics.some((d) => d.severity === 'error')) {
      terminal.err(print.renderDiagnostics(settings.diagnostics, cwd))
      return 2
    }
    const loaded = await loadPolicyInput(args.policy, cwd)
    if (!loaded.ok) {
      terminal.err(print.renderDiagnostics(loaded.diagnostics, cwd))
      return loadFailureExitCode(loaded)
    }
    // a DSL policy with errors compiles to a partial file; judging it would only mislead
    if (loaded.diagnostics.some((d) => d.severity === 'error')) {
      terminal.err(print.renderDiagnostics(locateDiagnostics(loaded.diagnostics, loaded.sourceMap), cwd))
      return 1
    }
    const inline = loaded.text !== undefined ? inlineSuppressions(loaded.text, loaded.file) : { suppressions: [], diagnostics: [] }
    const policy = (loaded.policy !== null && typeof loaded.policy === 'object' ? loaded.policy : {}) as TailnetPolicy
    // a DSL rule opts out through its reason: `.because('tailor-ignore <rule>: <why>')`
    const config = { ...settings.config, ignore: [...settings.config.ignore, ...optOutsFromComments(loaded.compiled?.comments ?? [])] }
    const result = lintPolicy(policy, { config, source: loaded.sourceMap, suppressions: inline.suppressions })
    const diagnostics = [...settings.diagnostics, ...inline.diagnostics, ...result.diagnostics]
    const rank: Record<Severity | 'never', number> = { info: 1, warning: 2, error: 3, never: 4 }
    const ok = !diagnostics.some((d) => rank[d.severity] >= rank[args.failOn])
    if (args.json) {
      print.printJson(terminal, {
        ok,
        diagnostics: diagnostics.map((d) => ({ ...print.diagnosticJson(d, cwd), path: d.path ?? null })),
        suppressed: result.suppressed.map((s) => ({ ...print.diagnosticJson(s.diagnostic, cwd), path: s.diagnostic.path ?? null, reason: s.reason })),
      })
    } else {
      terminal.out(print.renderDiagnostics(diagnostics, cwd))
      const optedOut = result.suppressed.length > 0 ? ` (${result.suppressed.length} opted out with a reason)` : ''
      print.printText(terminal, `${ok ? '✓' : '✗'} ${args.policy}: ${print.summarizeDiagnostics(diagnostics)}${optedOut}`)
    }
    if (github.wantsAnnotations(args.annotations)) {
      for (const d of diagnostics) terminal.err(github.githubAnnotation(d.severity, d.hint ? `${d.message}\n${d.hint}` : d.message, d.at, cwd, `tailor lint: ${d.code}`))
      await github.appendStepSummary(lintSummary(diagnostics, args.policy, (file) => print.displayPath(file, cwd)))
    }
    return ok ? 0 : 1
  },
}

function lintSummary(diagnostics: readonly Diagnostic[], policy: string, display: (file: string) => string): string {
  if (diagnostics.length === 0) return `### tailor lint: \`${policy}\` lints clean\n`
  const rows = diagnostics.map((d) => `| ${d.severity} | \`${d.code}\` | ${d.at ? `${display(d.at.file)}:${d.at.line}` : ''} | ${d.message.replaceAll('|', '\\|')} |`)
  return [`### tailor lint: ${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'} in \`${policy}\``, '', '| severity | rule | where | finding |', '| --- | --- | --- | --- |', ...rows, ''].join('\n')
}

async function readLintConfig(path: string | undefined, cwd: string): Promise<{ config: LintConfig; diagnostics: Diagnostic[] }> {
  const [{ readFile }, { resolve }, { readHujson }, { parseLintConfig, emptyLintConfig }] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('../../io/read-hujson.js'),
    import('../../lint/config.js'),
  ])
  const candidates = path !== undefined ? [{ file: resolve(cwd, path), key: ['lint'], required: true }] : [
    { file: resolve(cwd, 'tailor.config.json'), key: ['lint'], required: false },
    { file: resolve(cwd, 'package.json'), key: ['tailor', 'lint'], required: false },
  ]
  for (const { file, key, required } of candidates) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if (!required) continue
      return { config: emptyLintConfig, diagnostics: [{ code: 'lint-config', severity: 'error', message: `cannot read \`${path}\`: ${error instanceof Error ? error.message : String(error)}`, at: { file, line: 1, column: 1 } }] }
    }
    const document = readHujson(text, file)
    if (document.diagnostics.length > 0) return { config: emptyLintConfig, diagnostics: [...document.diagnostics] }
    let value: unknown = document.value
    for (const part of key) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined
    if (value === undefined) {
      if (required) return { config: emptyLintConfig, diagnostics: [] }
      continue
    }
    const parsed = parseLintConfig(value, file, key)
    const diagnostics = parsed.diagnostics.map((d) => {
      const at = d.path ? document.sourceMap.locate(d.path) : undefined
      return at ? { ...d, at } : d
    })
    return { config: parsed.config, diagnostics }
  }
  return { config: emptyLintConfig, diagnostics: [] }
}
