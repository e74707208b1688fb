import type { Argv } from 'yargs'
import type { TailorCommand } from '../command.js'
import { policyOption } from '../policy-input.js'

interface DriftArgs {
  readonly policy: string
  readonly format: 'text' | 'markdown' | 'json'
}

export const command: TailorCommand<DriftArgs> = {
  command: 'drift',
  describe: 'compare the live tailnet policy with the one compiled from git; exit 1 when they differ (an edit made outside git)',
  builder: (yargs: Argv) =>
    yargs
      .option('policy', policyOption)
      .option('format', { choices: ['text', 'markdown', 'json'] as const, default: 'text' as const, describe: 'markdown suits an issue body' }) as unknown as Argv<DriftArgs>,
  async run(args, { terminal, cwd }) {
    const { loadPolicyInput, loadFailureExitCode } = await import('../policy-input.js')
    const { readHujson } = await import('../../io/read-hujson.js')
    const { connectTailnet } = await import('../tailnet-api.js')
    const { liveDrift } = await import('../../analyze/live-drift.js')
    const { renderDiffJson, renderDiffMarkdown, renderDiffText } = await import('../../analyze/render-diff.js')
    const { printText, renderDiagnostics } = await import('../print.js')
    const loaded = await loadPolicyInput(args.policy, cwd)
    if (!loaded.ok) {
      terminal.err(renderDiagnostics(loaded.diagnostics, cwd))
      return loadFailureExitCode(loaded)
    }
    const { api, failed } = await connectTailnet({ terminal, cwd })
    const live = await api.getPolicy()
    if (!live.ok) return failed(live.problem)
    const document = readHujson(live.value.text, 'live policy')
    if (document.value === undefined) {
      terminal.err(renderDiagnostics(document.diagnostics, cwd))
      return 2
    }
    const drift = liveDrift(loaded.policy, document.value, { gitSource: loaded.sourceMap, liveSource: document.sourceMap })
    if (args.format === 'json') printText(terminal, renderDiffJson(drift.diff))
    else if (args.format === 'markdown') printText(terminal, drift.drifted ? `The live policy differs from \`${args.policy}\` in git (base: git, head: live).\n\n${renderDiffMarkdown(drift.diff)}` : 'No drift: the live policy matches git.')
    else printText(terminal, drift.drifted ? `the live policy differs from ${args.policy} (base: git, head: live)\n${renderDiffText(drift.diff)}` : 'no drift: the live policy matches git')
    return drift.drifted ? 1 : 0
  },
}
