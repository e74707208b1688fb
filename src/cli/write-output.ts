import { exitCode, type CommandContext } from './command.js'

/**
 * Where `build` and `matrix` put what they made: stdout when no `--out` is given (so it pipes), else the
 * file, written atomically so a failed write leaves the old file whole. Returns the command's exit code.
 */
export async function writeOutput(text: string, out: string | undefined, { terminal, cwd }: CommandContext): Promise<number> {
  if (out === undefined) {
    terminal.out(text)
    return exitCode.ok
  }
  const [{ writeFileAtomic }, { printError }, { resolve }] = await Promise.all([import('../io/write-file-atomic.js'), import('./print.js'), import('node:path')])
  try {
    await writeFileAtomic(resolve(cwd, out), text)
  } catch (error) {
    printError(terminal, `tailor: cannot write \`${out}\`: ${error instanceof Error ? error.message : String(error)}`)
    return exitCode.cannotRun
  }
  // stderr, like every note: stdout stays for what the command made
  printError(terminal, `wrote ${out}`)
  return exitCode.ok
}
