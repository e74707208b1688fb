import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { folderWith, tailorIn, twoTierHujson, twoTierPolicy } from '../tailor-in.js'

describe('tailor matrix', () => {
  test('prints who reaches what for a DSL policy', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy() })
    // WHEN
    const run = await tailorIn(cwd, 'matrix')
    // THEN
    expect(run).toStrictEqual({ code: 0, stdout: 'tag:web\n  → tag:db  tcp:5432\n\n1 principals, 1 destinations, 1 reachable pairs\n', stderr: '' })
  })

  test('writes the HTML report to a file, with the rule locations', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    // WHEN
    const run = await tailorIn(cwd, 'matrix', '--policy', 'policy.hujson', '--format', 'html', '--out', 'access.html')
    // THEN
    expect(run).toStrictEqual({ code: 0, stdout: '', stderr: 'wrote access.html\n' })
    const page = await readFile(join(cwd, 'access.html'), 'utf8')
    expect(page).toContain('<title>Access matrix: policy.hujson</title>')
    expect(page).toContain('<td><code>grants[0]</code></td><td>policy.hujson:4</td>')
  })
})
