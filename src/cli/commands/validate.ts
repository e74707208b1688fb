import type { Argv } from 'yargs'
import type { TailorCommand } from '../command.js'
import { policyOption } from '../policy-input.js'

interface ValidateArgs {
  readonly policy: string
  readonly remote: boolean
  readonly json: boolean
}

export const command: TailorCommand<ValidateArgs> = {
  command: 'validate',
  describe: "ask Tailscale itself whether the compiled policy is valid and its tests pass (POST /acl/validate; changes nothing)",
  builder: (yargs: Argv) =>
    yargs
      .option('policy', policyOption)
      .option('remote', { type: 'boolean', default: false, describe: "validate with Tailscale's API (needs a credential with `policy_file:read`)" })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' }) as unknown as Argv<ValidateArgs>,
  async run(args, { terminal, cwd }) {
    const { printError, printJson, printText, renderDiagnostics } = await import('../print.js')
    if (!args.remote) {
      printError(terminal, 'tailor validate: only `--remote` is implemented here; `tailor check` validates offline')
      return 2
    }
    const { loadPolicyInput, loadFailureExitCode } = await import('../policy-input.js')
    const { connectTailnet } = await import('../tailnet-api.js')
    const loaded = await loadPolicyInput(args.policy, cwd)
    if (!loaded.ok) {
      terminal.err(renderDiagnostics(loaded.diagnostics, cwd))
      return loadFailureExitCode(loaded)
    }
    const { api, failed } = await connectTailnet({ terminal, cwd })
    const result = await api.validatePolicy(`${JSON.stringify(loaded.policy, null, 2)}\n`)
    if (!result.ok) return failed(result.problem)
    const { ok, message, details } = result.value
    if (args.json) printJson(terminal, { ok, message: message ?? null, details })
    else {
      printText(terminal, ok ? `Tailscale accepts ${args.policy}${message ? ` (${message})` : ''}` : `Tailscale rejects ${args.policy}: ${message ?? 'invalid'}`)
      for (const detail of details) for (const line of [...detail.errors, ...detail.warnings]) printText(terminal, `  ${detail.user}: ${line}`)
    }
    return ok ? 0 : 1
  },
}
