import type { Argv } from 'yargs'
import type { TailnetPolicy } from '../../compile/tailnet-policy.js'
import type { TailorCommand } from '../command.js'
import { policyOption } from '../policy-input.js'

interface MatrixArgs {
  readonly policy: string
  readonly format: 'text' | 'markdown' | 'html' | 'json'
  readonly out: string | undefined
}

export const command: TailorCommand<MatrixArgs> = {
  command: 'matrix',
  describe: 'who can reach what: principals × destinations with ports, ssh logins and app capabilities',
  builder: (yargs: Argv) =>
    yargs
      .option('policy', policyOption)
      .option('format', { choices: ['text', 'markdown', 'html', 'json'] as const, default: 'text' as const, describe: 'a list, a markdown table, one self-contained HTML report (matrix, graph, rules), or JSON' })
      .option('out', { type: 'string', requiresArg: true, describe: 'write to this file (atomically) instead of stdout' })
      .example('$0 matrix', 'who reaches what, in the terminal')
      .example('$0 matrix --format html --out access.html', 'a report to open in a browser, offline') as unknown as Argv<MatrixArgs>,
  async run(args, { terminal, cwd }) {
    const [{ loadPolicyInput, loadFailureExitCode, locateDiagnostics }, print, { matrixOf }, render, { writeOutput }] = await Promise.all([
      import('../policy-input.js'),
      import('../print.js'),
      import('../../analyze/matrix.js'),
      import('../../analyze/render-matrix.js'),
      import('../write-output.js'),
    ])
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
    const policy = (loaded.policy !== null && typeof loaded.policy === 'object' ? loaded.policy : {}) as TailnetPolicy
    const source = { locate: (path: readonly (string | number)[]) => {
      const at = loaded.sourceMap.locate(path)
      return at ? { ...at, file: print.displayPath(at.file, cwd) } : undefined
    } }
    const matrix = matrixOf(policy, source)
    const text =
      args.format === 'html' ? render.renderMatrixHtml(matrix, { title: print.displayPath(loaded.file, cwd) })
      : args.format === 'markdown' ? render.renderMatrixMarkdown(matrix)
      : args.format === 'json' ? render.renderMatrixJson(matrix)
      : render.renderMatrixText(matrix)
    return writeOutput(text, args.out, { terminal, cwd })
  },
}
