import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bufferTerminal } from '../../src/cli/print.js'
import { writeOutput } from '../../src/cli/write-output.js'

describe('writeOutput', () => {
  it('prints to stdout when no --out is given, and nothing else there', async () => {
    const terminal = bufferTerminal()
    expect(await writeOutput('{"acls": []}\n', undefined, { terminal, cwd: tmpdir() })).toBe(0)
    expect(terminal.stdout()).toBe('{"acls": []}\n')
    expect(terminal.stderr()).toBe('')
  })

  it('writes --out relative to where the user stands and says so on stderr', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tailor-out-'))
    const terminal = bufferTerminal()
    expect(await writeOutput('new\n', 'tailnet.hujson', { terminal, cwd })).toBe(0)
    expect(readFileSync(join(cwd, 'tailnet.hujson'), 'utf8')).toBe('new\n')
    expect(terminal.stdout()).toBe('')
    expect(terminal.stderr()).toContain('wrote tailnet.hujson')
  })

  it('exits 2 naming the file when it cannot write, with nothing on stdout', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tailor-out-'))
    const terminal = bufferTerminal()
    expect(await writeOutput('new\n', 'missing-dir/out.json', { terminal, cwd })).toBe(2)
    expect(terminal.stderr()).toContain('cannot write `missing-dir/out.json`')
    expect(terminal.stdout()).toBe('')
  })
})
