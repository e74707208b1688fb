import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { appendStepSummary, githubAnnotation, wantsAnnotations } from '../../src/cli/github.js'

describe('GitHub workflow commands', () => {
  test('an annotation escapes what would end its properties or its message', () => {
    // WHEN
    const line = githubAnnotation('info', '50% of rules\nare untested', { file: '/repo/policy, v2.hujson', line: 3, column: 7 }, '/repo', 'tailor lint: untested-rule')
    // THEN
    expect(line).toBe('::notice file=policy%2C v2.hujson,line=3,col=7,title=tailor lint%3A untested-rule::50%25 of rules%0Aare untested\n')
  })

  test('annotations are on in GitHub Actions unless turned off, and on anywhere when asked for', () => {
    expect(wantsAnnotations(undefined, { GITHUB_ACTIONS: 'true' })).toBe(true)
    expect(wantsAnnotations(false, { GITHUB_ACTIONS: 'true' })).toBe(false)
    expect(wantsAnnotations(undefined, {})).toBe(false)
    expect(wantsAnnotations(true, {})).toBe(true)
  })

  test('the job summary is appended to, and a key that slipped into it is redacted', async () => {
    // GIVEN
    const file = join(await mkdtemp(join(tmpdir(), 'tailor-summary-')), 'summary.md')
    const key = ['tskey', 'api', 'k123456CNTRL', 'abcdefghijklmnopqrstuvwxyz012345'].join('-')
    // WHEN
    await appendStepSummary('### one', { GITHUB_STEP_SUMMARY: file })
    await appendStepSummary(`### two ${key}`, { GITHUB_STEP_SUMMARY: file })
    // THEN
    const text = await readFile(file, 'utf8')
    expect(text.startsWith('### one\n### two ')).toBe(true)
    expect(text).not.toContain(key)
  })
})
