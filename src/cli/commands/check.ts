import type { Argv } from 'yargs'
import type { CoverageReport } from '../../analyze/coverage.js'
import type { TestResult } from '../../analyze/run-tests.js'
import type { Diagnostic, SourceMap } from '../../model/diagnostic.js'
import type { TailorCommand } from '../command.js'
import { jsonOption, nodesOption, policyOption } from '../policy-input.js'

interface CheckArgs {
  readonly policy: string
  readonly nodes: string | undefined
  readonly tailnet: string | undefined
  readonly json: boolean
  readonly coverage: boolean
  readonly annotations: boolean | undefined
}

export const command: TailorCommand<CheckArgs> = {
  command: 'check',
  describe: 'validate a policy and run its tests offline (no credential, no network)',
  builder: (yargs: Argv) =>
    yargs
      .option('policy', policyOption)
      .option('nodes', nodesOption)
      .option('tailnet', { type: 'string', requiresArg: true, describe: 'the tailnet name (e.g. example.com), to check `user:*@domain` against it' })
      .option('json', { ...jsonOption, describe: 'print {"ok", "diagnostics", "tests": {"passed", "failed", "results"}}' })
      .option('coverage', { type: 'boolean', default: false, describe: 'also show which rules the tests exercise (a table; with --json, a "coverage" field)' })
      .option('annotations', { type: 'boolean', describe: 'also print problems and failing tests as GitHub annotations (default: when GITHUB_ACTIONS=true)' })
      .example('$0 check', 'check policy/index.ts')
      .example('$0 check --policy policy.hujson --json', 'check a policy file, machine-readable') as unknown as Argv<CheckArgs>,
  async run(args, { terminal, cwd }) {
    const [{ loadPolicyInput, loadFailureExitCode, locateDiagnostics }, print, { checkPolicy }, { hasErrors }, github] = await Promise.all([
      import('../policy-input.js'),
      import('../print.js'),
      import('../../analyze/check.js'),
      import('../../model/diagnostic.js'),
      import('../github.js'),
    ])
    const report = (diagnostics: readonly Diagnostic[], results: readonly LocatedResult[], coverage?: { report: CoverageReport; text: string }) => {
      const failed = results.filter((r) => !r.passed).length
      const ok = !hasErrors(diagnostics) && failed === 0
      if (args.json) {
        print.printJson(terminal, {
          ok,
          diagnostics: diagnostics.map((d) => print.diagnosticJson(d, cwd)),
          tests: { passed: results.length - failed, failed, results: results.map((r) => resultJson(r, cwd, print.displayPath)) },
          ...(coverage ? { coverage: coverage.report } : {}),
        })
      } else {
        // problems first, where editors and CI look for them; what tailor had to assume comes last, as notes
        const problems = diagnostics.filter((d) => d.severity !== 'info')
        const notes = diagnostics.filter((d) => d.severity === 'info')
        terminal.out(print.renderDiagnostics(problems, cwd))
        if (problems.length > 0 && results.length > 0) terminal.out('\n')
        for (const result of inSourceOrder(results)) print.printText(terminal, renderResult(result, cwd, print.displayPath))
        for (const note of notes) print.printText(terminal, `note: ${note.message}${note.hint ? `\n  → ${note.hint}` : ''}`)
        const tests = results.length > 0 ? `tests: ${results.length - failed} passed, ${failed} failed` : hasErrors(diagnostics) ? 'tests not run' : 'no tests'
        print.printText(terminal, `${ok ? '✓' : '✗'} ${args.policy}: ${print.summarizeDiagnostics(diagnostics)}; ${tests}`)
        if (coverage) terminal.out(`\n${coverage.text}`)
      }
      if (github.wantsAnnotations(args.annotations)) {
        for (const d of diagnostics) if (d.severity !== 'info') terminal.err(github.githubAnnotation(d.severity, d.hint ? `${d.message}\n${d.hint}` : d.message, d.at, cwd, `tailor check: ${d.code}`))
        for (const r of results) if (!r.passed) terminal.err(github.githubAnnotation('error', `test failed: ${describeTest(r)}${r.reason ? `\n${r.reason}` : ''}`, r.at, cwd, 'tailor check: test failed'))
      }
      return ok ? 0 : 1
    }

    const loaded = await loadPolicyInput(args.policy, cwd)
    if (!loaded.ok) {
      report(loaded.diagnostics, [])
      return loadFailureExitCode(loaded)
    }
    let inventory
    if (args.nodes !== undefined) {
      const { readInventory } = await import('../../io/read-inventory.js')
      const read = await readInventory(args.nodes, cwd)
      if (!read.inventory) {
        report(read.diagnostics, [])
        return 2
      }
      inventory = read.inventory
    }
    // the file compiled from a DSL policy with errors is partial: judging it would only echo them
    if (hasErrors(loaded.diagnostics)) return report(locateDiagnostics(loaded.diagnostics, loaded.sourceMap), [])
    const tailnet = args.tailnet ?? inventory?.tailnet
    const checked = checkPolicy(loaded.policy, { ...(inventory ? { inventory } : {}), ...(tailnet ? { tailnet } : {}) })
    const diagnostics = locateDiagnostics([...loaded.diagnostics, ...checked.diagnostics], loaded.sourceMap)
    const coverage = args.coverage ? await coverageOf(loaded.policy, loaded.sourceMap, (file) => print.displayPath(file, cwd)) : undefined
    return report(diagnostics, checked.tests.results.map((r) => locateResult(r, loaded.sourceMap)), coverage)
  },
}

async function coverageOf(policy: unknown, sourceMap: SourceMap, display: (file: string) => string): Promise<{ report: CoverageReport; text: string }> {
  const [{ coverageOf: coverage }, { renderCoverageText }] = await Promise.all([import('../../analyze/coverage.js'), import('../../analyze/render-coverage.js')])
  const shown: SourceMap = {
    locate: (path) => {
      const at = sourceMap.locate(path)
      return at ? { ...at, file: display(at.file) } : undefined
    },
  }
  const report = coverage(policy !== null && typeof policy === 'object' ? policy : {}, shown)
  return { report, text: renderCoverageText(report) }
}

interface LocatedResult extends TestResult {
  readonly at: { readonly file: string; readonly line: number; readonly column: number } | undefined
}

function locateResult(result: TestResult, sourceMap: SourceMap): LocatedResult {
  return { ...result, at: sourceMap.locate(result.path) }
}

// a DSL policy's tests are compiled in canonical order; people read them in the order they wrote them
function inSourceOrder(results: readonly LocatedResult[]): LocatedResult[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort((a, b) => {
      const x = a.result.at
      const y = b.result.at
      if (!x || !y) return a.index - b.index
      return x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column || a.index - b.index
    })
    .map(({ result }) => result)
}

function describeTest(result: TestResult): string {
  const what = `${result.src} → ${result.dst ?? '?'}${result.login !== undefined ? ` as ${result.login}` : ''}${result.proto ? ` (${result.proto})` : ''}`
  const verdict = result.passed ? (result.want ?? '') : `want: ${result.want ?? '?'}, got: ${result.got ?? '?'}`
  return verdict ? `${what}  ${verdict}` : what
}

function renderResult(result: LocatedResult, cwd: string, displayPath: (file: string, cwd: string) => string): string {
  const where = result.at ? `${displayPath(result.at.file, cwd)}:${result.at.line}:${result.at.column}  ` : ''
  // a failure's reason is already in its `test-failed` diagnostic above the list
  return `  ${result.passed ? '✓' : '✗'} ${where}${describeTest(result)}`
}

function resultJson(result: LocatedResult, cwd: string, displayPath: (file: string, cwd: string) => string) {
  const { at, ...rest } = result
  return { ...rest, file: at ? displayPath(at.file, cwd) : null, line: at?.line ?? null, column: at?.column ?? null }
}
