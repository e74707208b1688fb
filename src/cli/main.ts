import { createRequire } from 'node:module'
import type { Argv } from 'yargs'
import type { CommandContext, TailorCommand } from './command.js'
import { exitCode } from './command.js'
import { didYouMean } from '../model/did-you-mean.js'
import { printError, printText, processTerminal, type Terminal } from './print.js'

// one line per command, by its name; each module is light and loads its heavy parts when it runs
const commandModules: Readonly<Record<string, () => Promise<{ readonly command: unknown }>>> = {
  check: () => import('./commands/check.js'),
  build: () => import('./commands/build.js'),
  explain: () => import('./commands/explain.js'),
  netmap: () => import('./commands/netmap.js'),
  scan: () => import('./commands/scan.js'),
  pull: () => import('./commands/pull.js'),
  drift: () => import('./commands/drift.js'),
  validate: () => import('./commands/validate.js'),
  init: () => import('./commands/init.js'),
  import: () => import('./commands/import.js'),
  diff: () => import('./commands/diff.js'),
  lint: () => import('./commands/lint.js'),
  matrix: () => import('./commands/matrix.js'),
}

// `tailor check ...` needs only `check`; anything else (help, a typo, options first) sees them all
async function commandsFor(argv: readonly string[]): Promise<readonly TailorCommand[]> {
  const first = argv[0] ?? ''
  const named = Object.hasOwn(commandModules, first) ? [commandModules[first]!] : Object.values(commandModules)
  return (await Promise.all(named.map((load) => load()))).map((module) => module.command as TailorCommand)
}

/** Runs `tailor` with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], terminal: Terminal = processTerminal, cwd = process.cwd()): Promise<number> {
  const context: CommandContext = { terminal, cwd }
  let code: number = exitCode.ok
  const [{ default: yargs }, commands] = await Promise.all([import('yargs'), commandsFor(argv)])
  const cli = yargs([...argv])
    .scriptName('tailor')
    .usage('tailor <command> [options]\n\nTailscale access policy as typed TypeScript: compile, check offline, explain, apply with Pulumi.')
    .strict()
    .exitProcess(false)
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .demandCommand(1, 'name a command')
    .recommendCommands()
    // help is wrapped to the screen only on a screen: piped or captured, it is the same bytes everywhere
    .wrap(terminal === processTerminal && process.stdout.isTTY ? Math.min(100, process.stdout.columns) : 100)
    .epilogue('Run `tailor <command> --help` for its options. Exit codes: 0 ok, 1 the policy fails, 2 usage error or unreadable input.')
    .fail((message, error) => {
      // yargs reports usage problems with a message; an error thrown from a command arrives bare
      throw message ? new UsageError(withSuggestions(message, knownOptions(cli), argv)) : error
    })
  for (const command of commands) {
    cli.command({
      command: command.command as string | string[],
      describe: command.describe,
      builder: (y) => command.builder(skipHelpCache(y)),
      handler: async (args) => {
        code = await command.run(args, context)
      },
    })
  }
  try {
    await cli.parseAsync([...argv], {}, (_error, _args, output) => {
      if (output) printText(terminal, output)
    })
    return code
  } catch (error) {
    if (error instanceof UsageError) {
      const named = commands.find((c) => commandName(c) === argv[0])
      // yargs' command suggestion does not say what was wrong
      const message = error.message.replace(/^Did you mean (\S+)\?$/, (_whole, command: string) => `unknown command ${argv[0] ?? ''}: did you mean ${command}?`)
      const lines = message.split('\n').map((line) => `tailor: ${line}`)
      printError(terminal, `${lines.join('\n')}\nRun \`tailor ${named ? `${commandName(named)} ` : ''}--help\` for usage.`)
      return exitCode.cannotRun
    }
    // a bug, not the user's mistake: the stack helps a report, but only when asked for
    const detail = process.env['TAILOR_DEBUG'] && error instanceof Error && error.stack ? `\n${error.stack}` : '\n(set TAILOR_DEBUG=1 for the stack trace)'
    printError(terminal, `tailor: internal error: ${error instanceof Error ? error.message : String(error)}${detail}`)
    return exitCode.cannotRun
  }
}

class UsageError extends Error {}

/** The options yargs knows at the point of failure: the running command's, once its builder ran. */
function knownOptions(cli: Argv): readonly string[] {
  // not in yargs' type declarations, but a public method of the instance since yargs 3
  const options = (cli as unknown as { getOptions?: () => { key?: Record<string, unknown> } }).getOptions?.()
  return Object.keys(options?.key ?? {})
}

/** `Unknown argument: polcy` → `unknown option --polcy: did you mean --policy?`, from the command's own options. */
function withSuggestions(message: string, options: readonly string[], argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message)
  if (!unknown) return message
  const names = unknown[1]!.split(', ')
  // yargs lists `fail-onn` twice, also as `failOnn`: name each option once, as it was typed
  const typed = names.filter((name) => !names.includes(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)) || !/[A-Z]/.test(name))
  // yargs reads `--no-x` as x negated and names it `x`
  const spelled = (name: string): string => (name.length === 1 ? `-${name}` : argv.some((arg) => arg.split('=')[0] === `--no-${name}`) ? `--no-${name}` : `--${name}`)
  const candidates = options.filter((option) => option.length > 1 && !/[A-Z]/.test(option))
  return typed
    .map((name) => {
      const suggestion = didYouMean(name, candidates)
      return `unknown option ${spelled(name)}${suggestion ? `: did you mean --${suggestion}?` : ''}`
    })
    .join('\n')
}

/**
 * yargs renders the command's whole help text as it starts the handler, in case the handler asks
 * for it; none does, and the rendering (cliui, string widths) was a good part of `tailor check`'s
 * start-up. An internal hook: when a yargs version lacks it, nothing changes.
 */
function skipHelpCache(y: Argv): Argv {
  const usage = (y as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.()
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {}
  return y
}

function commandName(command: TailorCommand): string {
  const spelled = typeof command.command === 'string' ? command.command : command.command[0] ?? ''
  return spelled.split(' ')[0] ?? ''
}

function packageVersion(): string {
  const manifest: unknown = createRequire(import.meta.url)('../../package.json')
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : '0.0.0'
}
