import { describe, expect, test } from 'vitest'
import { folderWith, tailorIn, twoTierHujson, twoTierPolicy } from '../tailor-in.js'

describe('tailor check', () => {
  test('a valid DSL policy whose tests hold: each test listed at its policy/*.ts line, exit 0', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy() })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check')
    // THEN
    expect(code).toBe(0)
    expect(stdout).toContain('  ✓ policy/index.ts:8:5  tag:web → tag:db:5432 (tcp)  Accept\n')
    expect(stdout).toContain('  ✓ policy/index.ts:9:5  tag:db → tag:web:443 (tcp)  Drop\n')
    expect(stdout).toMatch(/✓ policy\/index\.ts: no problems; tests: 2 passed, 0 failed\n$/)
  })

  test('a .hujson policy with a test the rules contradict: exit 1, the failing test named at its line', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson({ honest: false }) })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check', '--policy', 'policy.hujson')
    // THEN
    expect(code).toBe(1)
    expect(stdout).toMatch(/^policy\.hujson:8:\d+  error  test-failed  test\(s\) failed: `tag:db` → `tag:web:443`: want: Accept, got: Drop$/m)
    expect(stdout).toMatch(/^  ✗ policy\.hujson:8:\d+  tag:db → tag:web:443  want: Accept, got: Drop$/m)
    expect(stdout).toMatch(/✗ policy\.hujson: 1 error; tests: 1 passed, 1 failed\n$/)
  })

  test('a failing DSL expectation points at the user’s policy/*.ts line', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy({ honest: false }) })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check')
    // THEN
    expect(code).toBe(1)
    expect(stdout).toMatch(/^policy\/index\.ts:9:5  error  test-failed  /m)
  })

  test('--json: ok, located diagnostics with every key, and the test results', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson({ honest: false }) })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check', '--policy', 'policy.hujson', '--json')
    // THEN
    expect(code).toBe(1)
    const report = JSON.parse(stdout) as { ok: boolean; diagnostics: Record<string, unknown>[]; tests: { passed: number; failed: number; results: Record<string, unknown>[] } }
    expect(report.ok).toBe(false)
    expect(Object.keys(report)).toEqual(['ok', 'diagnostics', 'tests'])
    for (const d of report.diagnostics) expect(Object.keys(d).sort()).toEqual(['code', 'column', 'file', 'hint', 'line', 'message', 'severity'])
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'test-failed', severity: 'error', file: 'policy.hujson', line: 8 }))
    expect(report.tests).toMatchObject({ passed: 1, failed: 1 })
    expect(report.tests.results).toContainEqual(expect.objectContaining({ src: 'tag:db', dst: 'tag:web:443', passed: false, file: 'policy.hujson', line: 8 }))
  })

  test('an invalid policy: Tailscale’s complaint at the HuJSON line and column, exit 1', async () => {
    // GIVEN: `tag:db` is used but nobody owns it
    const cwd = await folderWith({ 'policy.hujson': '{\n  "tagOwners": {"tag:web": []},\n  "grants": [\n    {"src": ["tag:web"], "dst": ["tag:db"], "ip": ["*"]},\n  ],\n}\n' })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check', '--policy', 'policy.hujson')
    // THEN
    expect(code).toBe(1)
    expect(stdout).toMatch(/^policy\.hujson:4:\d+  error  \S+  .*tag:db/m)
  })

  test('a HuJSON syntax error is located and exits 1', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': '{\n  "grants": [\n    {"src": [tag:web]},\n  ],\n}\n' })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check', '--policy', 'policy.hujson')
    // THEN
    expect(code).toBe(1)
    expect(stdout).toMatch(/^policy\.hujson:3:14  error  hujson-syntax  invalid HuJSON: unexpected character$/m)
  })

  test('a missing policy file is unreadable input: exit 2, and --json still prints the report shape', async () => {
    // GIVEN
    const cwd = await folderWith({})
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check', '--json')
    // THEN
    expect(code).toBe(2)
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, diagnostics: [{ code: 'unreadable-file', message: '`policy/index.ts`: no such file' }], tests: { passed: 0, failed: 0, results: [] } })
  })

  test('--nodes runs the tests on the given devices', async () => {
    // GIVEN: no device carries tag:db, so nothing reaches it
    const nodes = JSON.stringify({ tailnet: 'example.com', users: [], nodes: [{ name: 'web-1', tags: ['tag:web'], ipv4: '100.64.0.1' }] })
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson(), 'nodes.json': nodes })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check', '--policy', 'policy.hujson', '--nodes', 'nodes.json')
    // THEN
    expect(code).toBe(1)
    expect(stdout).toContain('✗ policy.hujson:7:')
    expect(stdout).not.toContain('synthetic-tailnet')
  })

  test('an unreadable inventory is exit 2', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'check', '--policy', 'policy.hujson', '--nodes', 'missing.json')
    // THEN
    expect(code).toBe(2)
    expect(stdout).toContain('unreadable-file')
  })

  test('a policy module that throws is unreadable input: exit 2, located at the throwing line, no stack trace', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': "import { definePolicy } from 'tailor'\n\nthrow new Error('owners file missing')\n" })
    // WHEN
    const { code, stdout, stderr } = await tailorIn(cwd, 'check')
    // THEN
    expect(code).toBe(2)
    expect(stdout).toMatch(/^policy\/index\.ts:3:\d+  error  policy-module-failed  loading `policy\/index\.ts` failed: owners file missing$/m)
    expect(stdout + stderr).not.toMatch(/^\s+at /m)
  })
})
