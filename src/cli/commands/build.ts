import type { Argv } from 'yargs'
import type { TailorCommand } from '../command.js'
import { policyOption } from '../policy-input.js'

interface BuildArgs {
  readonly policy: string
  readonly format: 'hujson' | 'json'
  readonly out: string | undefined
}

export const command: TailorCommand<BuildArgs> = {
  command: 'build',
  describe: 'compile the policy to a canonical Tailscale policy file (same input, same bytes)',
  builder: (yargs: Argv) =>
    yargs
      .option('policy', policyOption)
      .option('format', { choices: ['hujson', 'json'] as const, default: 'hujson' as const, describe: 'HuJSON with a comment naming each rule\'s origin, or plain JSON' })
      .option('out', { type: 'string', requiresArg: true, describe: 'write to this file (atomically) instead of stdout' })
      .example('$0 build', 'print the HuJSON policy file')
      .example('$0 build --format json --out tailnet.json', 'write plain JSON') as unknown as Argv<BuildArgs>,
  async run(args, { terminal, cwd }) {
    const [{ loadPolicyInput, loadFailureExitCode, locateDiagnostics }, print, { validatePolicy }, { renderHujson }, { renderJson }, { writeOutput }, { hasErrors }] = await Promise.all([
      import('../policy-input.js'),
      import('../print.js'),
      import('../../analyze/validate-policy.js'),
      import('../../compile/render-hujson.js'),
      import('../../compile/render-json.js'),
      import('../write-output.js'),
      import('../../model/diagnostic.js'),
    ])
    const loaded = await loadPolicyInput(args.policy, cwd)
    if (!loaded.ok) {
      terminal.err(print.renderDiagnostics(loaded.diagnostics, cwd))
      return loadFailureExitCode(loaded)
    }
    const validated = validatePolicy(loaded.policy)
    const diagnostics = locateDiagnostics([...loaded.diagnostics, ...validated.diagnostics], loaded.sourceMap)
    // stdout carries only the policy file, so it can be piped; findings go to stderr
    terminal.err(print.renderDiagnostics(diagnostics, cwd))
    if (hasErrors(diagnostics) || !validated.policy) {
      print.printError(terminal, `✗ ${args.policy}: ${print.summarizeDiagnostics(diagnostics)}; nothing written (\`tailor check\` shows the details)`)
      return 1
    }
    // a DSL policy keeps its canonical order and origin comments; a policy file stays as its author wrote it
    // (HuJSON) or becomes plain JSON for tools that need it
    const compiled = loaded.compiled ?? { policy: validated.policy }
    const text = args.format === 'json' ? renderJson(compiled) : loaded.compiled || loaded.text === undefined ? renderHujson(compiled) : loaded.text
    return writeOutput(text, args.out, { terminal, cwd })
  },
}
