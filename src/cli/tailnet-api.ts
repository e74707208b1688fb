import type { ApiSettings } from '../io/credentials.js'
import type { ApiProblem, TailscaleApi } from '../io/tailscale-api.js'
import { exitCode, type CommandContext } from './command.js'

export interface TailnetConnection {
  readonly settings: ApiSettings
  readonly api: TailscaleApi
  /** Prints a failed call as one diagnostic and gives the exit code: the tailnet, not the policy, was at fault. */
  failed(problem: ApiProblem): number
}

/**
 * The Tailscale API as `pull`, `drift` and `validate --remote` use it: the credential is found in the
 * environment (its warnings go to stderr; the secret itself is never printed), and each failure is a
 * located diagnostic with exit 2, so CI tells "cannot reach Tailscale" from "the policy is wrong".
 */
export async function connectTailnet({ terminal, cwd }: CommandContext): Promise<TailnetConnection> {
  const [{ apiSettingsFromEnv }, { tailscaleApi, apiProblemDiagnostic }, { printError, renderDiagnostics }] = await Promise.all([
    import('../io/credentials.js'),
    import('../io/tailscale-api.js'),
    import('./print.js'),
  ])
  const settings = apiSettingsFromEnv()
  for (const warning of settings.warnings) printError(terminal, `warning: ${warning}`)
  return {
    settings,
    api: tailscaleApi(settings),
    failed(problem) {
      terminal.err(renderDiagnostics([apiProblemDiagnostic(problem)], cwd, '(tailscale api)'))
      return exitCode.cannotRun
    },
  }
}
