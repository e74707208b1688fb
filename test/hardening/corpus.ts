import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { main } from '../../src/cli/main.js'
import { bufferTerminal } from '../../src/cli/print.js'

export const repo = fileURLToPath(new URL('../..', import.meta.url))
export const corpus = join(repo, 'test', 'fixtures', 'bad')

/** Every file of the bad-input corpus, sorted. */
export function corpusFiles(): string[] {
  return readdirSync(corpus, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

/** A V8 stack frame line, or the name of a JavaScript error class leaking into output. */
export const stackTrace = /^\s+at .+[(\s]\S+:\d+:\d+\)?$|\b(?:TypeError|RangeError|SyntaxError|ReferenceError): /m

/** `tailor check --policy FILE --json` in this process, as the CLI runs it. */
export async function checkInProcess(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const terminal = bufferTerminal()
  const code = await main(['check', '--policy', file, '--json'], terminal, repo)
  return { code, stdout: terminal.stdout(), stderr: terminal.stderr() }
}
