import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { writeGeneratedFiles } from '../../src/io/write-generated-files.js'

const files = [
  { path: 'index.ts', text: 'export default 1\n' },
  { path: 'access.ts', text: 'export const access = []\n' },
]

test('writes every file, creating the folder', async () => {
  // GIVEN
  const dir = join(await mkdtemp(join(tmpdir(), 'tailor-gen-')), 'policy')
  // WHEN
  const result = await writeGeneratedFiles(dir, files, { force: false })
  // THEN
  expect(result).toStrictEqual({ written: ['access.ts', 'index.ts'], conflicts: [] })
  expect(await readFile(join(dir, 'index.ts'), 'utf8')).toBe('export default 1\n')
})

test('all or nothing: one existing file means nothing is written, unless forced', async () => {
  // GIVEN
  const dir = await mkdtemp(join(tmpdir(), 'tailor-gen-'))
  await writeFile(join(dir, 'index.ts'), '// mine\n')
  // WHEN
  const refused = await writeGeneratedFiles(dir, files, { force: false })
  // THEN
  expect(refused).toStrictEqual({ written: [], conflicts: ['index.ts'] })
  expect((await readdir(dir)).sort()).toStrictEqual(['index.ts'])
  // WHEN
  const forced = await writeGeneratedFiles(dir, files, { force: true })
  // THEN
  expect(forced).toStrictEqual({ written: ['access.ts', 'index.ts'], conflicts: ['index.ts'] })
  expect(await readFile(join(dir, 'index.ts'), 'utf8')).toBe('export default 1\n')
})
