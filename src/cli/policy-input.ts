import type { Options } from 'yargs'
import type { LoadedPolicy, PolicyLoadFailure } from '../io/load-policy.js'
import type { Diagnostic, SourceMap } from '../model/diagnostic.js'
import { exitCode } from './command.js'

/** `--policy`, the same on every command that reads one. */
export const policyOption = {
  type: 'string',
  default: 'policy/index.ts',
  describe: 'the policy: a DSL module (.ts, .js, or a folder with index.ts) or a policy file (.hujson, .json)',
  requiresArg: true,
} as const satisfies Options

/** `--nodes`, for commands that can run against a real tailnet's devices. */
export const nodesOption = {
  type: 'string',
  describe: 'devices to evaluate on: {"tailnet", "users", "nodes"} (e.g. from `tailor pull --devices`); default: one made-up device per name the policy uses',
  requiresArg: true,
} as const satisfies Options

export const jsonOption = { type: 'boolean', default: false, describe: 'print JSON instead of text' } as const satisfies Options

/** Loads `--policy`; the CLI's only entry to policy files, so every command reads them alike. */
export async function loadPolicyInput(path: string, cwd: string): Promise<LoadedPolicy | PolicyLoadFailure> {
  const { loadPolicy } = await import('../io/load-policy.js')
  return loadPolicy(path, cwd)
}

/** A policy that could not be loaded: 1 when the policy itself is wrong (bad HuJSON), 2 when it could not be read. */
export function loadFailureExitCode(failure: PolicyLoadFailure): number {
  return failure.reason === 'invalid' ? exitCode.policyFails : exitCode.cannotRun
}

/** Fills in where each diagnostic sits, from its JSON path, so users get `file:line:col` for every finding. */
export function locateDiagnostics(diagnostics: readonly Diagnostic[], sourceMap: SourceMap): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.at || !d.path) return d
    const at = sourceMap.locate(d.path)
    return at ? { ...d, at } : d
  })
}
