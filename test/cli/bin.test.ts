import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { folderWith, twoTierHujson, twoTierPolicy } from './tailor-in.js'

// the installed command, as `npx tailor` runs it: bin/tailor.js on the compiled dist/ (`npm run build`)
const bin = join(import.meta.dirname, '..', '..', 'bin', 'tailor.js')

function tailorProcess(cwd: string, ...argv: string[]) {
  const run = spawnSync(process.execPath, [bin, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe('bin/tailor.js (the package’s bin)', () => {
  test('a policy file whose test the rules contradict exits 1 and names the test with its line', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson({ honest: false }) })
    // WHEN
    const { code, stdout } = tailorProcess(cwd, 'check', '--policy', 'policy.hujson')
    // THEN
    expect(code).toBe(1)
    expect(stdout).toMatch(/^policy\.hujson:8:\d+  error  test-failed  test\(s\) failed: `tag:db` → `tag:web:443`/m)
  })

  test('a DSL policy names each test by its policy/*.ts line, freshly transpiled and from the loader cache alike', async () => {
    // GIVEN a policy whose second test (line 9) the rules contradict
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy({ honest: false }) })
    for (const run of ['first', 'cached']) {
      // WHEN
      const { code, stdout } = tailorProcess(cwd, 'check')
      // THEN
      expect(code, run).toBe(1)
      expect(stdout, run).toMatch(/^policy\/index\.ts:9:5  error  test-failed  /m)
      expect(stdout, run).toContain('  ✓ policy/index.ts:8:5  tag:web → tag:db:5432 (tcp)  Accept\n')
    }
  })

  test('usage errors exit 2 with the message on stderr', async () => {
    // GIVEN
    const cwd = await folderWith({})
    // WHEN
    const { code, stdout, stderr } = tailorProcess(cwd, 'check', '--no-such-flag')
    // THEN
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('unknown option --no-such-flag')
  })
})
