import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { writeFileAtomic } from '../../src/io/write-file-atomic.js'

describe('writeFileAtomic', () => {
  test('replaces the file whole and leaves no temporary file behind', async () => {
    // GIVEN
    const folder = await mkdtemp(join(tmpdir(), 'tailor-write-'))
    const file = join(folder, 'policy.hujson')
    await writeFile(file, 'old')
    // WHEN
    await writeFileAtomic(file, '{"grants": []}\n')
    // THEN
    expect(await readFile(file, 'utf8')).toBe('{"grants": []}\n')
    expect(await readdir(folder)).toEqual(['policy.hujson'])
  })

  test('a folder that does not exist fails and writes nothing', async () => {
    // GIVEN
    const folder = await mkdtemp(join(tmpdir(), 'tailor-write-'))
    // WHEN
    const writing = writeFileAtomic(join(folder, 'missing', 'policy.json'), '{}')
    // THEN
    await expect(writing).rejects.toThrow(/ENOENT/)
    expect(await readdir(folder)).toEqual([])
  })
})
