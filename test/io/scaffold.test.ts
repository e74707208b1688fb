import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { packageNameFor, scaffoldPolicyRepo } from '../../src/io/scaffold.js'
import { scanSecrets } from '../../src/io/scan-secrets.js'

const folders: string[] = []
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

async function emptyFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tailor-init-'))
  folders.push(folder)
  return folder
}

describe('scaffoldPolicyRepo', () => {
  test('writes policy/, both stacks, Pulumi.yaml, the workflows, README and .gitignore', async () => {
    // GIVEN
    const dir = await emptyFolder()
    // WHEN
    const result = await scaffoldPolicyRepo({ dir, name: 'acme-tailnet', tailorSpec: '^0.1.0' })
    // THEN
    expect(result).toEqual({
      written: [
        '.github/workflows/policy-apply.yml',
        '.github/workflows/policy-pr.yml',
        '.gitignore',
        'Pulumi.yaml',
        'README.md',
        'package.json',
        'policy/index.ts',
        'stacks/Pulumi.prod.yaml',
        'stacks/Pulumi.test.yaml',
        'tsconfig.json',
      ],
      conflicts: [],
    })
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> }
    expect(manifest.name).toBe('acme-tailnet')
    expect(manifest.dependencies).toEqual({ tailor: '^0.1.0' })
    expect(await readFile(join(dir, 'Pulumi.yaml'), 'utf8')).toMatch(/^name: acme-tailnet$/m)
  })

  test('the scaffold holds no credential, so `tailor scan` passes on a fresh repository', async () => {
    // GIVEN
    const dir = await emptyFolder()
    await scaffoldPolicyRepo({ dir, name: 'acme', tailorSpec: '^0.1.0' })
    // WHEN
    const report = await scanSecrets({ root: dir })
    // THEN
    expect(report.findings).toEqual([])
    expect(report.filesScanned).toBe(10)
  })

  test('an existing file stops the whole scaffold, and nothing is written', async () => {
    // GIVEN
    const dir = await emptyFolder()
    await writeFile(join(dir, 'README.md'), '# ours\n')
    // WHEN
    const result = await scaffoldPolicyRepo({ dir, name: 'acme', tailorSpec: '^0.1.0' })
    // THEN
    expect(result).toEqual({ written: [], conflicts: ['README.md'] })
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# ours\n')
    await expect(readFile(join(dir, 'package.json'), 'utf8')).rejects.toThrow()
  })

  test('a folder name becomes a package name npm accepts', () => {
    expect(packageNameFor('Acme Tailnet')).toBe('acme-tailnet')
    expect(packageNameFor('---')).toBe('tailnet-policy')
  })
})
