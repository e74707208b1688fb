import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadPolicy } from '../../src/io/load-policy.js'

async function folderWith(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tailor-load-'))
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(folder, name, '..'), { recursive: true })
    await writeFile(join(folder, name), text)
  }
  return folder
}

describe('loadPolicy: HuJSON files', () => {
  test('a .hujson file is parsed and every part can be located', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': '{\n  // web servers\n  "grants": [\n    {"src": ["tag:web"], "dst": ["tag:db"], "ip": ["5432"]},\n  ],\n}\n' })
    // WHEN
    const loaded = await loadPolicy('policy.hujson', cwd)
    // THEN
    expect(loaded.ok).toBe(true)
    if (!loaded.ok) return
    expect(loaded.format).toBe('hujson')
    expect(loaded.policy).toEqual({ grants: [{ src: ['tag:web'], dst: ['tag:db'], ip: ['5432'] }] })
    expect(loaded.sourceMap.locate(['grants', 0, 'dst', 0])).toEqual({ file: join(cwd, 'policy.hujson'), line: 4, column: 34 })
  })

  test('a syntax error is a wrong policy (not unreadable input), at its line and column', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.json': '{\n  "grants": [\n    {"src": [tag:web]}\n  ]\n}\n' })
    // WHEN
    const loaded = await loadPolicy('policy.json', cwd)
    // THEN
    expect(loaded).toMatchObject({ ok: false, reason: 'invalid' })
    expect(loaded.ok ? [] : loaded.diagnostics[0]).toMatchObject({ code: 'hujson-syntax', message: 'invalid HuJSON: unexpected character', at: { line: 3, column: 14 } })
  })
})

describe('loadPolicy: what cannot be loaded is a located diagnostic, never a throw', () => {
  test('a missing file', async () => {
    // GIVEN
    const cwd = await folderWith({})
    // WHEN
    const loaded = await loadPolicy('policy/index.ts', cwd)
    // THEN
    expect(loaded).toMatchObject({ ok: false, reason: 'unreadable', diagnostics: [{ code: 'unreadable-file', message: '`policy/index.ts`: no such file' }] })
  })

  test('a file that is neither a module nor a policy file', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.yaml': 'grants: []' })
    // WHEN
    const loaded = await loadPolicy('policy.yaml', cwd)
    // THEN
    expect(loaded).toMatchObject({ ok: false, reason: 'unreadable', diagnostics: [{ code: 'unsupported-policy-file' }] })
  })

  test('a module that throws points at the line in the user’s file', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': "const owners: string[] = []\n\nthrow new Error('no owners for ' + owners.length)\n" })
    // WHEN
    const loaded = await loadPolicy('policy/index.ts', cwd)
    // THEN
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'unreadable',
      diagnostics: [{ code: 'policy-module-failed', message: expect.stringContaining('no owners for 0'), at: { file: join(cwd, 'policy/index.ts'), line: 3 } }],
    })
  })

  test('a module with a TypeScript syntax error', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': 'export default {\n  grants: [,\n' })
    // WHEN
    const loaded = await loadPolicy('policy', cwd)
    // THEN
    expect(loaded).toMatchObject({ ok: false, reason: 'unreadable', diagnostics: [{ code: 'policy-module-failed', at: { file: join(cwd, 'policy/index.ts') } }] })
  })

  test('a module that exports nothing', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.ts': 'export const unrelated = 1\n' })
    // WHEN
    const loaded = await loadPolicy('policy.ts', cwd)
    // THEN
    expect(loaded).toMatchObject({ ok: false, reason: 'unreadable', diagnostics: [{ code: 'policy-export-missing', hint: 'end the module with `export default definePolicy(...)`' }] })
  })

  test('a module whose export is not a policy', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.ts': 'export default { grants: [] }\n' })
    // WHEN
    const loaded = await loadPolicy('policy.ts', cwd)
    // THEN
    expect(loaded).toMatchObject({ ok: false, reason: 'unreadable', diagnostics: [{ code: 'policy-export-invalid' }] })
  })
})

describe('loadPolicy: DSL modules', () => {
  const twoTiers = `import { definePolicy, Port } from 'tailor'

export default definePolicy({
  tags: { web: [], db: [] },
}, (p) => ({
  rules: [
    p.allow(p.tag.web).to(p.tag.db, Port.tcp(5432)),
  ],
  tests: [p.expect(p.tag.web).canReach(p.tag.db, Port.tcp(5432))],
}))
`

  test('a .ts policy importing `tailor` by name is compiled without a build step', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTiers })
    // WHEN
    const loaded = await loadPolicy('policy/index.ts', cwd)
    // THEN
    expect(loaded).toMatchObject({ ok: true, format: 'dsl', diagnostics: [] })
    if (!loaded.ok) return
    expect(loaded.policy).toMatchObject({ grants: [{ src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] }] })
  })

  test('the compiled file maps back to the policy/*.ts line that wrote each rule', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTiers })
    // WHEN
    const loaded = await loadPolicy('policy/index.ts', cwd)
    // THEN
    if (!loaded.ok) throw new Error('expected the policy to load')
    expect(loaded.sourceMap.locate(['grants', 0])).toMatchObject({ line: 7 })
    expect(loaded.sourceMap.locate(['grants', 0])?.file).toMatch(/policy\/index\.ts$/)
  })

  test('a name that was never declared is a diagnostic of the policy (not a crash), on its line', async () => {
    // GIVEN: JavaScript has no type checker to catch the typo
    const cwd = await folderWith({ 'policy.js': twoTiers.replace("import { definePolicy, Port } from 'tailor'", "import { definePolicy, Port } from 'tailor'\n").replace('p.tag.db, Port', 'p.tag.dbb, Port') })
    // WHEN
    const loaded = await loadPolicy('policy.js', cwd)
    // THEN
    expect(loaded.ok).toBe(true)
    if (!loaded.ok) return
    expect(loaded.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', at: expect.objectContaining({ line: 8 }) }))
  })

  test('a module may export a promise of its policy; a rejected one is a located failure, not an unhandled rejection', async () => {
    // GIVEN
    const cwd = await folderWith({
      'good.ts': "import { definePolicy } from 'tailor'\n\nexport default Promise.resolve().then(() => definePolicy({ tags: { web: [] } }, () => ({ rules: [], tests: [] })))\n",
      'bad.ts': "export default Promise.reject(new Error('team file missing'))\n",
    })
    // WHEN
    const [good, bad] = await Promise.all([loadPolicy('good.ts', cwd), loadPolicy('bad.ts', cwd)])
    // THEN
    expect(good).toMatchObject({ ok: true, format: 'dsl', diagnostics: [] })
    expect(bad).toMatchObject({ ok: false, reason: 'unreadable', diagnostics: [{ code: 'policy-module-failed', message: 'loading `bad.ts` failed: team file missing' }] })
  })
})
