import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { hugeInputs } from '../../bench/huge-inputs.js'
import { stackTrace } from './corpus.js'

/**
 * One real `tailor check` process per kind of failure, to prove end to end what the in-process corpus
 * run cannot: the exit code the shell sees, that stderr carries no stack trace, and that the huge inputs
 * (made here, not committed) finish inside a 512 MB heap.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(repo, 'bin', 'tailor.js')
const bad = join(repo, 'test', 'fixtures', 'bad')
const scratch = mkdtempSync(join(tmpdir(), 'tailor-hardening-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function tailorCheck(file: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--max-old-space-size=512', '--stack-size=984', bin, 'check', '--policy', file], { cwd: repo, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

function huge(name: string, text: string): string {
  const file = join(scratch, name)
  writeFileSync(file, text)
  return file
}

const cases: [string, () => string, number][] = [
  ['malformed HuJSON', () => join(bad, 'syntax', 'unclosed-block-comment.hujson'), 1],
  ['invalid UTF-8', () => join(bad, 'encoding', 'latin1-encoded-name.hujson'), 1],
  ['a wrong type', () => join(bad, 'types', 'acl-src-string.hujson'), 1],
  ['an undefined name', () => join(bad, 'undefined-names', 'tag-in-acl-dst.hujson'), 1],
  ['a failing test', () => join(bad, 'tests', 'contradicted-by-rules.hujson'), 1],
  ['a DSL module that throws', () => join(bad, 'dsl', 'throws-error.ts'), 2],
  ['a DSL module that exports nothing', () => join(bad, 'dsl', 'exports-nothing.ts'), 2],
  ['a DSL module with a syntax error', () => join(bad, 'dsl', 'syntax-error.js'), 2],
  ...hugeInputs.map(({ what, file, text }): [string, () => string, number] => [what, () => huge(file, text()), 1]),
  ['a missing file', () => join(scratch, 'does-not-exist.hujson'), 2],
]

describe('tailor check on hostile input, as a process |', () => {
  test.each(cases)('%s: exit code, a located error, no stack trace, within a 512 MB heap', (_what, make, expected) => {
    // GIVEN
    const file = make()
    // WHEN
    const { status, stdout, stderr } = tailorCheck(file)
    // THEN
    expect(stderr).not.toMatch(stackTrace)
    expect(stdout).not.toMatch(stackTrace)
    expect(stderr).not.toMatch(/heap out of memory|Maximum call stack|internal error/i)
    expect(status).toBe(expected)
    expect(`${stdout}${stderr}`).toMatch(/:\d+:\d+\s+error\s+[a-z0-9-]+\s/)
  }, 120_000)
})
