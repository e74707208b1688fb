import { relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { checkInProcess, corpus, corpusFiles, stackTrace } from './corpus.js'

/**
 * Every file under test/fixtures/bad/ goes through `tailor check --json` in-process, exactly as the CLI
 * runs it: each must be rejected (exit 1, or 2 when it cannot be read at all) with an error diagnostic that
 * has a code and a file:line:column, and nothing may look like a stack trace. `bad-corpus-cli.test.ts`
 * runs one file per category of failure through a real process.
 */
interface CheckJson {
  readonly ok: boolean
  readonly diagnostics: readonly { code?: string; severity?: string; message?: string; file?: string | null; line?: number | null; column?: number | null }[]
}

const files = corpusFiles()
const byCategory = new Map<string, string[]>()
for (const file of files) {
  const category = relative(corpus, file).split('/')[0]!
  byCategory.set(category, [...(byCategory.get(category) ?? []), file])
}

describe('bad-input corpus |', () => {
  test('holds at least 200 files across the categories issue 9 names', () => {
    expect(files.length).toBeGreaterThanOrEqual(200)
    expect([...byCategory.keys()]).toEqual(expect.arrayContaining(['syntax', 'encoding', 'duplicate-keys', 'types', 'unknown-fields', 'undefined-names', 'tags', 'ports', 'cidrs', 'numbers', 'nesting', 'groups', 'ssh', 'tests', 'dsl']))
  })

  for (const [category, members] of byCategory) {
    describe(category, () => {
      test.each(members.map((file) => [relative(corpus, file), file]))('%s is rejected with a located, coded error and no stack trace', async (_name, file) => {
        // WHEN
        const { code, stdout, stderr } = await checkInProcess(file)
        // THEN
        expect(stderr).not.toMatch(stackTrace)
        expect(stdout).not.toMatch(stackTrace)
        expect([1, 2]).toContain(code)
        const report = JSON.parse(stdout) as CheckJson
        expect(report.ok).toBe(false)
        const located = report.diagnostics.filter((d) => d.severity === 'error' && typeof d.code === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(d.code) && typeof d.file === 'string' && typeof d.line === 'number' && typeof d.column === 'number')
        expect(located, JSON.stringify(report.diagnostics)).not.toEqual([])
      })
    })
  }
})
