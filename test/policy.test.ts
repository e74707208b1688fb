import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { checkPolicy } from '../src/analyze/check.js'
import { loadPolicy } from '../src/io/load-policy.js'
import { readInventory } from '../src/io/read-inventory.js'
import { tailorIn } from './cli/tailor-in.js'

const repository = join(import.meta.dirname, '..')

describe('the bundled policy (policy/)', () => {
  test('compiles without a finding, and every one of its tests passes', async () => {
    // WHEN
    const loaded = await loadPolicy('policy/index.ts', repository)
    // THEN
    if (!loaded.ok) throw new Error(`policy/ did not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`)
    expect(loaded.diagnostics).toEqual([])
    const report = checkPolicy(loaded.policy)
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(report.tests.failed).toBe(0)
    expect(report.tests.passed).toBeGreaterThanOrEqual(6)
  })

  test('its tests also pass on the example devices in policy/nodes.json', async () => {
    // GIVEN
    const [loaded, { inventory }] = await Promise.all([loadPolicy('policy/index.ts', repository), readInventory(join(repository, 'policy/nodes.json'))])
    if (!loaded.ok || !inventory) throw new Error('policy/ or policy/nodes.json did not load')
    // WHEN
    const report = checkPolicy(loaded.policy, { inventory })
    // THEN
    expect(report.ok).toBe(true)
    expect(report.tests.failed).toBe(0)
  })

  test('`tailor build --format json` grants exactly the example’s flows: web → api, api → database, admin → everything', async () => {
    // WHEN
    const { code, stdout } = await tailorIn(repository, 'build', '--format', 'json')
    // THEN
    expect(code).toBe(0)
    const policy = JSON.parse(stdout) as { grants: unknown[]; acls?: unknown }
    expect(policy.acls).toBeUndefined()
    expect(policy.grants).toEqual([
      { src: ['tag:admin'], dst: ['*'], ip: ['*'] },
      { src: ['tag:backend'], dst: ['tag:database'], ip: ['tcp:5432'] },
      { src: ['tag:frontend'], dst: ['tag:backend'], ip: ['tcp:8080'] },
    ])
  })

  test('`tailor check` passes it and exits 0', async () => {
    // WHEN
    const { code, stdout } = await tailorIn(repository, 'check')
    // THEN
    expect(code).toBe(0)
    expect(stdout).toMatch(/^✓ policy\/index\.ts: no problems; tests: \d+ passed, 0 failed$/m)
  })
})

describe('the README', () => {
  test('its example is a policy that compiles cleanly and whose tests pass', async () => {
    // GIVEN: the first TypeScript block of the README, as a user would paste it into policy/index.ts
    const readme = await readFile(join(repository, 'README.md'), 'utf8')
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    if (!example) throw new Error('the README has no ```ts example')
    const folder = await mkdtemp(join(tmpdir(), 'tailor-readme-'))
    await mkdir(join(folder, 'policy'))
    await writeFile(join(folder, 'policy/index.ts'), example)
    // WHEN
    const { code, stdout } = await tailorIn(folder, 'check')
    // THEN
    expect(stdout).not.toMatch(/  (error|warning)  /)
    expect(code).toBe(0)
    expect(example.trim().split('\n').length).toBeLessThanOrEqual(15)
  })
})
