import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { folderWith, tailorIn, twoTierHujson, twoTierPolicy } from '../tailor-in.js'

describe('tailor build', () => {
  test('prints the compiled HuJSON with a comment naming each rule’s origin', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy() })
    // WHEN
    const { code, stdout, stderr } = await tailorIn(cwd, 'build')
    // THEN
    expect(code).toBe(0)
    expect(stderr).toBe('')
    expect(stdout).toContain('// allow(tag.web).to(tag.db)')
    expect(stdout).toContain('{"src": ["tag:web"], "dst": ["tag:db"], "ip": ["tcp:5432"]}')
  })

  test('--format json prints valid JSON whose grants encode exactly the policy’s flows', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy() })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'build', '--format', 'json')
    // THEN
    expect(code).toBe(0)
    const policy = JSON.parse(stdout) as { grants: unknown }
    expect(policy.grants).toEqual([{ src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] }])
  })

  test('the same policy gives the same bytes', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy() })
    // WHEN
    const first = await tailorIn(cwd, 'build')
    const second = await tailorIn(cwd, 'build')
    // THEN
    expect(second.stdout).toBe(first.stdout)
  })

  test('--out writes the file and keeps stdout empty', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    // WHEN
    const { code, stdout, stderr } = await tailorIn(cwd, 'build', '--policy', 'policy.hujson', '--format', 'json', '--out', 'tailnet.json')
    // THEN
    expect(code).toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toBe('wrote tailnet.json\n')
    expect(JSON.parse(await readFile(join(cwd, 'tailnet.json'), 'utf8'))).toMatchObject({ grants: [{ src: ['tag:web'] }] })
  })

  test('an invalid policy writes nothing and says where the problem is, exit 1', async () => {
    // GIVEN: a tag nobody owns
    const cwd = await folderWith({ 'policy.hujson': '{\n  "grants": [\n    {"src": ["tag:web"], "dst": ["tag:db"], "ip": ["*"]},\n  ],\n}\n' })
    // WHEN
    const { code, stdout, stderr } = await tailorIn(cwd, 'build', '--policy', 'policy.hujson')
    // THEN
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^policy\.hujson:3:\d+  error  /m)
    expect(stderr).toContain('nothing written')
  })

  test('an unknown --format is a usage error', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy() })
    // WHEN
    const { code, stderr } = await tailorIn(cwd, 'build', '--format', 'yaml')
    // THEN
    expect(code).toBe(2)
    expect(stderr).toContain('Invalid values')
  })

  test('a valid policy file builds to itself as HuJSON (its comments kept) and to plain JSON on request', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    // WHEN
    const hujson = await tailorIn(cwd, 'build', '--policy', 'policy.hujson')
    const json = await tailorIn(cwd, 'build', '--policy', 'policy.hujson', '--format', 'json')
    // THEN
    expect(hujson.stdout).toBe(twoTierHujson())
    expect(JSON.parse(json.stdout)).toMatchObject({ tagOwners: { 'tag:web': [], 'tag:db': [] } })
  })
})
