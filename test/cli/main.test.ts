import { describe, expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { bufferTerminal } from '../../src/cli/print.js'

async function tailor(...argv: string[]) {
  const terminal = bufferTerminal()
  const code = await main(argv, terminal)
  return { code, stdout: terminal.stdout(), stderr: terminal.stderr() }
}

describe('tailor (the command line)', () => {
  test('--help lists the commands and exits 0', async () => {
    // WHEN
    const { code, stdout } = await tailor('--help')
    // THEN
    expect(code).toBe(0)
    expect(stdout).toMatch(/^tailor <command> \[options\]/)
    expect(stdout).toContain('Commands:')
    for (const command of ['check', 'build', 'explain <src> <dst>', 'netmap']) expect(stdout).toContain(`tailor ${command} `)
  })

  test('every command has its own --help', async () => {
    // WHEN
    const { code, stdout } = await tailor('check', '--help')
    // THEN
    expect(code).toBe(0)
    expect(stdout).toMatch(/^tailor check\n\nvalidate a policy and run its tests offline/)
    expect(stdout).toContain('--policy')
    expect(stdout).toContain('--json')
  })

  test('an unknown flag is a usage error: exit 2, named on stderr with the option meant, nothing on stdout', async () => {
    // WHEN
    const { code, stdout, stderr } = await tailor('check', '--jsn')
    // THEN
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe('tailor: unknown option --jsn: did you mean --json?\nRun `tailor check --help` for usage.\n')
  })

  test('each unknown flag is named once, as typed, with a suggestion only where one is close', async () => {
    // WHEN
    const { code, stderr } = await tailor('diff', '--fail-onn', 'any', '--zzz')
    // THEN
    expect(code).toBe(2)
    expect(stderr).toBe('tailor: unknown option --fail-onn: did you mean --fail-on?\ntailor: unknown option --zzz\nRun `tailor diff --help` for usage.\n')
  })

  test('no command is a usage error', async () => {
    // WHEN
    const { code, stderr } = await tailor()
    // THEN
    expect(code).toBe(2)
    expect(stderr).toContain('name a command')
  })

  test('a misspelled command is rejected with a suggestion', async () => {
    // WHEN
    const { code, stderr } = await tailor('chek')
    // THEN
    expect(code).toBe(2)
    expect(stderr).toContain('tailor: unknown command chek: did you mean check?')
  })

  test('help is the same bytes wherever it is captured', async () => {
    // WHEN
    const first = await tailor('--help')
    const second = await tailor('--help')
    // THEN: lines fit the fixed 100-column width
    expect(second.stdout).toBe(first.stdout)
    expect(Math.max(...first.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100)
  })

  test('--version prints the package version', async () => {
    // WHEN
    const { code, stdout } = await tailor('--version')
    // THEN
    expect(code).toBe(0)
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })
})
