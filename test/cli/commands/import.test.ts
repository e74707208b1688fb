import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, test, vi } from 'vitest'
import { folderWith, tailorIn } from '../tailor-in.js'

const fixture = (name: string) => readFile(new URL(`../../fixtures/import/${name}`, import.meta.url), 'utf8')

describe('tailor import', () => {
  beforeEach(() => void vi.stubEnv('GITHUB_ACTIONS', 'false'))

  test('writes policy/ and names the next step', async () => {
    // GIVEN
    const cwd = await folderWith({ 'seed.hujson': await fixture('seed.hujson') })
    // WHEN
    const run = await tailorIn(cwd, 'import', 'seed.hujson')
    // THEN
    expect(run).toStrictEqual({
      code: 0,
      stdout: `wrote 3 files to policy/:
  access.ts
  index.ts
  inventory.ts

next: check that the DSL says the same as the file (expect "no change in access"):
  npx tailor diff seed.hujson policy/index.ts --fail-on any
`,
      stderr: '',
    })
    expect(await readFile(join(cwd, 'policy', 'index.ts'), 'utf8')).toContain("import { definePolicy } from 'tailor'")
  })

  test('the next step holds: diff reports no change in access', async () => {
    // GIVEN
    const cwd = await folderWith({ 'mixed.hujson': await fixture('mixed.hujson') })
    expect((await tailorIn(cwd, 'import', 'mixed.hujson', '--out', 'policy')).code).toBe(0)
    // WHEN
    const run = await tailorIn(cwd, 'diff', 'mixed.hujson', 'policy/index.ts', '--fail-on', 'any')
    // THEN
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
  })

  test('lists what went through p.raw with the line of the file it came from', async () => {
    // GIVEN
    const cwd = await folderWith({ 'mixed.hujson': await fixture('mixed.hujson') })
    // WHEN
    const run = await tailorIn(cwd, 'import', 'mixed.hujson')
    // THEN
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`kept as p.raw(...), which the DSL does not model yet (5):
  mixed.hujson:17:3  \`ipsets\` is not modelled by the DSL: kept as p.raw({ ipsets })
  mixed.hujson:23:5  \`ipset:prod\` has no DSL name where it is used (grants[3]): written p.raw('ipset:prod')
  mixed.hujson:24:5  grants[4] is kept as p.raw: app capabilities are not modelled by the DSL
  mixed.hujson:28:5  acls[1] is kept as p.raw: \`*\` → \`autogroup:self\` is valid in an ACL but not in a grant
  mixed.hujson:35:3  \`nodeAttrs\` is not modelled by the DSL: kept as p.raw({ nodeAttrs })
`)
  })

  test.each(['seed.hujson', 'mixed.hujson'])('%s: the generated DSL adds no lint finding the original did not have', async (name) => {
    // GIVEN
    const cwd = await folderWith({ [name]: await fixture(name) })
    expect((await tailorIn(cwd, 'import', name)).code).toBe(0)
    const codes = async (policy: string) => {
      const run = await tailorIn(cwd, 'lint', '--policy', policy, '--json')
      const report = JSON.parse(run.stdout) as { diagnostics: { code: string }[] }
      return [...new Set(report.diagnostics.map((d) => d.code))].sort()
    }
    // WHEN
    const before = await codes(name)
    const after = await codes('policy/index.ts')
    // THEN
    expect(after.filter((c) => !before.includes(c))).toStrictEqual([])
  })

  test('--help fits the width and names the next step', async () => {
    // WHEN
    const run = await tailorIn(process.cwd(), 'import', '--help')
    // THEN
    expect(run.code).toBe(0)
    expect(Math.max(...run.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100)
    expect(run.stdout).toContain('Then `tailor diff <file> policy/index.ts --fail-on any` must report no change in access.')
  })

  test('refuses to overwrite existing files unless --force', async () => {
    // GIVEN
    const cwd = await folderWith({ 'seed.hujson': await fixture('seed.hujson'), 'policy/index.ts': '// mine\n' })
    // WHEN
    const refused = await tailorIn(cwd, 'import', 'seed.hujson')
    // THEN
    expect(refused).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: 'tailor import: policy already has `index.ts`; nothing was written\n  → pass --force to overwrite them, or choose another --out\n',
    })
    expect(await readFile(join(cwd, 'policy', 'index.ts'), 'utf8')).toBe('// mine\n')
    // WHEN
    const forced = await tailorIn(cwd, 'import', 'seed.hujson', '--force')
    // THEN
    expect(forced.code).toBe(0)
    expect(await readFile(join(cwd, 'policy', 'index.ts'), 'utf8')).toContain('definePolicy')
  })

  test('an invalid policy is refused with located errors (exit 1); nothing is written', async () => {
    // GIVEN
    const cwd = await folderWith({ 'bad.hujson': '{\n  "acls": [{"action": "accept", "src": ["tag:nope"], "dst": ["*:*"]}],\n}\n' })
    // WHEN
    const run = await tailorIn(cwd, 'import', 'bad.hujson')
    // THEN
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^bad\.hujson:2:\d+  error  /)
    expect(run.stderr).toContain('tailor import: `bad.hujson` is not a valid policy (1 error); nothing was written')
  })

  test('an unreadable file or a DSL module is a usage error (exit 2)', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.ts': 'export default 1\n' })
    await writeFile(join(cwd, 'empty.txt'), '')
    // THEN
    expect((await tailorIn(cwd, 'import', 'missing.hujson')).code).toBe(2)
    const dsl = await tailorIn(cwd, 'import', 'policy.ts')
    expect(dsl.code).toBe(2)
    expect(dsl.stderr).toContain('is already DSL source')
  })
})
