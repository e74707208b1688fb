import { describe, expect, test } from 'vitest'
import { folderWith, tailorIn } from '../tailor-in.js'

const policy = `{
  "tagOwners": {"tag:web": [], "tag:db": [], "tag:ci": []},
  "grants": [
    {"src": ["tag:web"], "dst": ["tag:db"], "ip": ["tcp:5432"]},
    {"src": ["tag:ci"], "dst": ["tag:web"], "ip": ["tcp:22"]},
  ],
  "tests": [{"src": "tag:web", "accept": ["tag:db:5432"]}],
}
`

describe('tailor check --coverage and --annotations', () => {
  test('shows which rules the tests exercise, after the verdict', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': policy })
    // WHEN
    const run = await tailorIn(cwd, 'check', '--policy', 'policy.hujson', '--coverage')
    // THEN
    expect(run.code).toBe(0)
    expect(run.stdout.slice(run.stdout.indexOf('rule '))).toBe(
      ['rule       location         exercised by', 'grants[0]  policy.hujson:4  tests[0]', 'grants[1]  policy.hujson:5  not covered', '', 'coverage: 1 of 2 rules exercised by a test (50%)', ''].join('\n'),
    )
  })

  test('with --annotations, a failing test is a GitHub annotation on its line', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': policy.replace('"accept": ["tag:db:5432"]', '"accept": ["tag:db:5433"]') })
    // WHEN
    const run = await tailorIn(cwd, 'check', '--policy', 'policy.hujson', '--annotations')
    // THEN
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^::error file=policy\.hujson,line=7,col=\d+,title=tailor check%3A test failed::test failed: tag:web → tag:db:5433/m)
  })

  test('with --json, the report carries a coverage field', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': policy })
    // WHEN
    const run = await tailorIn(cwd, 'check', '--policy', 'policy.hujson', '--coverage', '--json')
    // THEN
    const json = JSON.parse(run.stdout) as { coverage: { covered: number; total: number; rules: { path: unknown[]; tests: unknown[] }[] } }
    expect([json.coverage.covered, json.coverage.total]).toStrictEqual([1, 2])
    expect(json.coverage.rules.map((r) => [r.path, r.tests])).toStrictEqual([
      [['grants', 0], [['tests', 0]]],
      [['grants', 1], []],
    ])
  })
})
