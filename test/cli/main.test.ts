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
    expect(stdout).toContain('tailor scan')
  })

  test('every command has its own --help', async () => {
    // WHEN
    const { code, stdout } = await tailor('scan', '--help')
    // THEN
    expect(code).toBe(0)
    expect(stdout).toContain('tailor scan')
    expect(stdout).toContain('--json')
  })

  test('an unknown flag is a usage error: exit 2, named on stderr, nothing on stdout', async () => {
    // WHEN
    const { code, stdout, stderr } = await tailor('scan', '--jsn')
    // THEN
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('Unknown argument: jsn')
    expect(stderr).toContain('Run `tailor scan --help` for usage.')
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
    const { code, stderr } = await tailor('scna')
    // THEN
    expect(code).toBe(2)
    expect(stderr).toContain('Did you mean scan?')
  })

  test('--version prints the package version', async () => {
    // WHEN
    const { code, stdout } = await tailor('--version')
    // THEN
    expect(code).toBe(0)
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })
})
