import { execFileSync } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { credentialFingerprint } from '../../src/analyze/secrets.js'
import { allowlistFile, findingDiagnostic, scanSecrets } from '../../src/io/scan-secrets.js'
import { fakeTailscaleKey } from '../support/fake-credentials.js'

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))
const made: string[] = []

async function repository(files: Record<string, string>, commit = true): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tailor-scan-'))
  made.push(root)
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true })
    await writeFile(join(root, path), text)
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' })
  git('init', '-q')
  git('config', 'user.email', 'test@example.com')
  git('config', 'user.name', 'test')
  if (commit) {
    git('add', '-A')
    git('commit', '-qm', 'first')
  }
  return root
}

afterEach(async () => {
  for (const root of made.splice(0)) await rm(root, { recursive: true, force: true })
})

describe('scanSecrets', () => {
  test('this repository is clean: fixtures build their keys at run time', async () => {
    // WHEN
    const report = await scanSecrets({ root: repositoryRoot })
    // THEN
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.kind}`)).toEqual([])
    expect(report.diagnostics).toEqual([])
    expect(report.filesScanned).toBeGreaterThan(10)
  })

  test('a planted key and a plaintext stack secret are found with file:line, and the key is never in the report', async () => {
    // GIVEN
    const key = fakeTailscaleKey('api')
    const root = await repository({
      'policy/index.ts': 'export default {}\n',
      'scripts/deploy.sh': `#!/bin/sh\n\nTAILSCALE_API_KEY=${key} pulumi up\n`,
      'stacks/Pulumi.prod.yaml': 'config:\n  tailscale:oauthClientSecret: not-secure-at-all-value\n',
    })
    // WHEN
    const report = await scanSecrets({ root })
    // THEN
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.kind}`)).toEqual([
      'scripts/deploy.sh:3:19 tailscale-api-key',
      'stacks/Pulumi.prod.yaml:2:32 plaintext-stack-secret',
    ])
    const shown = JSON.stringify(report.findings.map(findingDiagnostic))
    expect(shown).not.toContain(key)
    expect(shown).not.toContain('not-secure-at-all-value')
    expect(shown).toContain('TAILSCALE_API_KEY=tskey-api-[redacted] pulumi up')
  })

  test('untracked, not ignored files are scanned too, so a key is caught before its first commit', async () => {
    // GIVEN
    const root = await repository({ '.gitignore': 'local/\n', 'notes.txt': `key ${fakeTailscaleKey('auth')}\n`, 'local/env': `key ${fakeTailscaleKey('auth')}\n` }, false)
    // WHEN
    const report = await scanSecrets({ root })
    // THEN
    expect(report.findings.map((f) => f.file)).toEqual(['notes.txt'])
  })

  test('an allowlist entry with a reason accepts exactly the secret it names', async () => {
    // GIVEN
    const accepted = fakeTailscaleKey('client')
    const other = fakeTailscaleKey('client')
    const root = await repository({
      'docs/sample.md': `${accepted}\n${other}\n`,
      [allowlistFile]: JSON.stringify({ allow: [{ path: 'docs/*.md', fingerprint: credentialFingerprint(accepted), reason: 'revoked demo key shown in the talk' }] }),
    })
    // WHEN
    const report = await scanSecrets({ root })
    // THEN
    expect(report.findings.map((f) => f.line)).toEqual([2])
    expect(report.allowed.map((f) => f.line)).toEqual([1])
  })

  test('an allowlist entry without a reason is an error and allows nothing', async () => {
    // GIVEN
    const root = await repository({ 'a.txt': `${fakeTailscaleKey('api')}\n`, [allowlistFile]: '{"allow": [{"path": "a.txt"}]}' })
    // WHEN
    const report = await scanSecrets({ root })
    // THEN
    expect(report.diagnostics.map((d) => d.code)).toEqual(['invalid-scan-allowlist'])
    expect(report.findings).toHaveLength(1)
  })

  test('--history finds a key that a later commit deleted, naming the commit that added it', async () => {
    // GIVEN
    const key = fakeTailscaleKey('api')
    const root = await repository({ 'ci.sh': `echo start\nexport TAILSCALE_API_KEY=${key}\n` })
    await writeFile(join(root, 'ci.sh'), 'echo start\n')
    execFileSync('git', ['commit', '-qam', 'remove key'], { cwd: root })
    // WHEN
    const now = await scanSecrets({ root })
    const ever = await scanSecrets({ root, history: true })
    // THEN
    expect(now.findings).toEqual([])
    expect(ever.findings.map((f) => `${f.file}:${f.line} ${f.kind}`)).toEqual(['ci.sh:2 tailscale-api-key'])
    expect(findingDiagnostic(ever.findings[0]!).message).toMatch(/added in commit [0-9a-f]{12}/)
  })

  test('--history reports a key committed twice once, at the commit that first added it', async () => {
    // GIVEN
    const key = fakeTailscaleKey('client')
    const root = await repository({ 'deploy.env': `SECRET=${key}\n` })
    const first = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root }).toString().trim()
    await writeFile(join(root, 'deploy.env'), `# moved\nTAILSCALE_OAUTH_CLIENT_SECRET=${key}\n`)
    execFileSync('git', ['commit', '-qam', 'rename the variable'], { cwd: root })
    // WHEN
    const report = await scanSecrets({ root, history: true })
    // THEN: the working tree copy, and one history finding
    expect(report.findings.map((f) => [f.file, f.line, f.commit ?? 'tree'])).toEqual([
      ['deploy.env', 2, 'tree'],
      ['deploy.env', 1, first],
    ])
  })
})
