import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as pulumi from '@pulumi/pulumi'
import { describe, expect, test } from 'vitest'
import { recordPulumiResources } from '../support/pulumi-mocks.js'
import { folderWith, tailorIn, twoTierHujson, twoTierPolicy } from '../cli/tailor-in.js'

const registered = recordPulumiResources('dev')
const repository = join(import.meta.dirname, '..', '..')

/** The program exactly as Pulumi runs it: the file `Pulumi.yaml` names as `main`, compiled by `npm run build`. */
async function pulumiProgram(): Promise<(steps?: { guard?: () => Promise<void> }) => Promise<Record<string, string>>> {
  const project = await readFile(join(repository, 'Pulumi.yaml'), 'utf8')
  const main = /^main:\s*(\S+)\s*$/m.exec(project)?.[1]
  if (!main) throw new Error('Pulumi.yaml names no main')
  const module = (await import(pathToFileURL(join(repository, main)).href)) as { default: (steps?: { guard?: () => Promise<void> }) => Promise<Record<string, string>> }
  return module.default
}

// the guard reads the live policy from Tailscale; these tests stay offline (the guard has its own tests)
const offline = { guard: async () => {} }

// resource registration is asynchronous; let the mock monitor see it
const registrations = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('the Pulumi program (Pulumi.yaml main)', () => {
  test('registers one protected tailscale.Acl whose policy is byte for byte what `tailor build` prints', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy() })
    pulumi.runtime.setAllConfig({ 'tailor:policy': join(cwd, 'policy/index.ts'), 'tailscale:tailnet': 'example.com' })
    const program = await pulumiProgram()
    // WHEN
    const outputs = await program(offline)
    await registrations()
    // THEN
    const built = await tailorIn(cwd, 'build')
    const acls = registered.filter((r) => r.type === 'tailscale:index/acl:Acl')
    expect(acls).toHaveLength(1)
    expect(acls[0]?.inputs['acl']).toBe(built.stdout)
    expect(acls[0]?.inputs).toMatchObject({ overwriteExistingContent: true, resetAclOnDestroy: false })
    expect(outputs['appliedPolicy']).toBe(built.stdout)
  })

  test('a policy whose test fails registers nothing, and the error names the failing test and its line', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy/index.ts': twoTierPolicy({ honest: false }) })
    pulumi.runtime.setAllConfig({ 'tailor:policy': join(cwd, 'policy/index.ts') })
    const program = await pulumiProgram()
    // WHEN
    const running = program(offline)
    // THEN
    await expect(running).rejects.toBeInstanceOf(pulumi.RunError)
    await expect(running).rejects.toThrow(/1 of 2 tests failed \(tag:db → tag:web:443\)/)
    await expect(running).rejects.toThrow(/policy\/index\.ts:9:\d+/)
    await registrations()
    expect(registered).toEqual([])
  })

  test('a policy file is applied exactly as written, comments and all', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    pulumi.runtime.setAllConfig({ 'tailor:policy': join(cwd, 'policy.hujson') })
    const program = await pulumiProgram()
    // WHEN
    await program(offline)
    await registrations()
    // THEN
    const acl = registered.find((r) => r.type === 'tailscale:index/acl:Acl')
    expect(acl?.inputs['acl']).toBe(twoTierHujson())
  })
})
