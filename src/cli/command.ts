import type { Argv } from 'yargs'
import type { Terminal } from './print.js'

/** What a command may touch: where to print and where the user stands. */
export interface CommandContext {
  readonly terminal: Terminal
  readonly cwd: string
}

/**
 * One `tailor` subcommand. `builder` declares flags (yargs shows them in `--help` and rejects
 * others); `run` does the work and returns the exit code: 0 fine, 1 the policy is wrong, 2 the
 * command could not run (bad usage, unreadable input). Modules under `commands/` import only
 * types at their top and load what they need inside `run`, so `tailor --help` stays fast.
 */
export interface TailorCommand<Args = unknown> {
  readonly command: string | readonly string[]
  readonly describe: string
  builder(yargs: Argv): Argv<Args>
  run(args: Args, context: CommandContext): Promise<number>
}

/** Exit codes, named once. */
export const exitCode = { ok: 0, policyFails: 1, cannotRun: 2 } as const
