import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, test, vi } from 'vitest'
import { folderWith, tailorIn, twoTierHujson, twoTierPolicy } from '../tailor-in.js'

const widened = twoTierHujson().replace('"ip": ["tcp:5432"]', '"ip": ["tcp:5432", "tcp:22"]')

describe('tailor diff', () => {
  // the same output on a laptop and in a GitHub Actions job
  beforeEach(() => void vi.stubEnv('GITHUB_ACTIONS', 'false'))

  test('two policy files: prints who gains what, with the rule on each side', async () => {
    // GIVEN
    const cwd = await folderWith({ 'before.hujson': twoTierHujson(), 'after.hujson': widened })
    // WHEN
    const run = await tailorIn(cwd, 'diff', 'before.hujson', 'after.hujson')
    // THEN
    expect(run).toStrictEqual({
      code: 0,
      stdout: ['broadens access: 1 flow', '', 'broadened (access added)', '  + tag:web', '      → tag:db  tcp:22  (base before.hujson:4; head after.hujson:4)', ''].join('\n'),
      stderr: '',
    })
  })

  test('--fail-on broaden exits 1 when access grows and 0 when it only shrinks', async () => {
    // GIVEN
    const cwd = await folderWith({ 'before.hujson': twoTierHujson(), 'after.hujson': widened })
    // WHEN
    const grows = await tailorIn(cwd, 'diff', 'before.hujson', 'after.hujson', '--fail-on', 'broaden')
    const shrinks = await tailorIn(cwd, 'diff', 'after.hujson', 'before.hujson', '--fail-on', 'broaden')
    const any = await tailorIn(cwd, 'diff', 'after.hujson', 'before.hujson', '--fail-on', 'any')
    // THEN
    expect([grows.code, shrinks.code, any.code]).toStrictEqual([1, 0, 1])
    expect(shrinks.stdout.split('\n')[0]).toBe('narrows: 1 flow')
  })

  test('a DSL policy and the same policy as a file are no change in access', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy(), 'policy.hujson': twoTierHujson() })
    // WHEN
    const run = await tailorIn(cwd, 'diff', 'policy.hujson', 'policy/index.ts', '--fail-on', 'any')
    // THEN: the compiler writes the tests with `"proto": "tcp"`, which changes tests but not access
    expect(run.stdout.split('\n')[0]).toBe('no change in access; other changes: 4 test assertions')
    expect(run.code).toBe(0)
  })

  test('defaults to the last commit against the working tree, also for a DSL policy', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy() })
    git(cwd, 'init', '-q')
    git(cwd, 'add', '.')
    git(cwd, 'commit', '-qm', 'policy')
    const file = join(cwd, 'policy/index.ts')
    await writeFile(file, (await readFile(file, 'utf8')).replace('Port.tcp(5432))]', 'Port.tcp(5432)), p.allow(p.tag.db).to(p.tag.web, Port.tcp(443))]'))
    // WHEN
    const run = await tailorIn(cwd, 'diff', '--format', 'json')
    // THEN
    expect(run.stderr).toBe('')
    const json = JSON.parse(run.stdout) as { schema: string; summary: { text: string }; broadened: { src: string; dst: string; access: string; base: { at?: { file: string } }[] }[] }
    expect(json.schema).toBe('tailor/diff@1')
    expect(json.summary.text).toBe('broadens access: 1 flow')
    expect(json.broadened.map((c) => [c.src, c.dst, c.access])).toStrictEqual([['tag:db', 'tag:web', 'tcp:443']])
  })

  test('an unknown revision is a located error and exit 2, not a stack trace', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    git(cwd, 'init', '-q')
    // WHEN
    const run = await tailorIn(cwd, 'diff', 'git:no-such-branch', 'policy.hujson', '--policy', 'policy.hujson')
    // THEN
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/error  git-policy-unreadable  cannot read `policy.hujson` at `no-such-branch`: fatal: invalid object name/)
  })

  test('in GitHub Actions, broadenings become annotations and the comment goes to the job summary', async () => {
    // GIVEN
    const cwd = await folderWith({ 'before.hujson': twoTierHujson(), 'after.hujson': widened, 'summary.md': '' })
    // WHEN
    const run = await tailorIn(cwd, 'diff', 'before.hujson', 'after.hujson', '--annotations')
    // THEN
    expect(run.stderr).toBe('::warning file=after.hujson,line=4,col=5,title=tailor diff::broadens access: tag:web → tag:db tcp:22\n')
  })
})

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], { cwd })
}
