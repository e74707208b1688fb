import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadPolicyAtRef, splitSpec } from '../../src/io/policy-at-git-ref.js'

describe('loadPolicyAtRef', () => {
  test('splits git:REF[:PATH] at the first colon, defaulting the revision to HEAD', () => {
    expect(splitSpec('git:origin/main')).toStrictEqual(['origin/main', undefined])
    expect(splitSpec('git:HEAD~2:policy/index.ts')).toStrictEqual(['HEAD~2', 'policy/index.ts'])
    expect(splitSpec('git:')).toStrictEqual(['HEAD', undefined])
    expect(splitSpec('git::tailnet.hujson')).toStrictEqual(['HEAD', 'tailnet.hujson'])
  })

  test('reads a policy file as it was committed, with locations naming the revision', async () => {
    // GIVEN
    const repo = await mkdtemp(join(tmpdir(), 'tailor-git-'))
    await writeFile(join(repo, 'tailnet.hujson'), '{\n  "grants": [{"src": ["tag:a"], "dst": ["tag:b"], "ip": ["22"]}],\n}\n')
    git(repo, 'init', '-q')
    git(repo, 'add', '.')
    git(repo, 'commit', '-qm', 'first')
    await writeFile(join(repo, 'tailnet.hujson'), '{}\n')
    // WHEN
    const loaded = await loadPolicyAtRef('git:HEAD', 'tailnet.hujson', repo)
    // THEN
    expect(loaded.ok).toBe(true)
    if (!loaded.ok) return
    expect(loaded.policy).toStrictEqual({ grants: [{ src: ['tag:a'], dst: ['tag:b'], ip: ['22'] }] })
    expect(loaded.sourceMap.locate(['grants', 0])).toStrictEqual({ file: 'HEAD:tailnet.hujson', line: 2, column: 14 })
    expect((await readdir(repo)).filter((f) => f.startsWith('.tailor-tmp-'))).toStrictEqual([])
  })
})

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], { cwd })
}
