import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { main } from '../../../src/cli/main.js'
import { bufferTerminal } from '../../../src/cli/print.js'
import { fakeTailscaleKey } from '../../support/fake-credentials.js'

let folder = ''
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tailor-scan-cli-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function tailor(...argv: string[]) {
  const terminal = bufferTerminal()
  const code = await main(argv, terminal, folder)
  return { code, stdout: terminal.stdout(), stderr: terminal.stderr() }
}

describe('tailor scan', () => {
  test('exits 1 with file:line and a redacted preview for a planted key', async () => {
    // GIVEN
    const key = fakeTailscaleKey('auth')
    await writeFile(join(folder, 'bootstrap.sh'), `#!/bin/sh\ntailscale up --auth-key=${key}\n`)
    // WHEN
    const result = await tailor('scan')
    // THEN
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^bootstrap\.sh:2:25 {2}error {2}leaked-credential {2}Tailscale auth key in plain text: `tailscale up --auth-key=tskey-auth-\[redacted\]` \(sha256:[0-9a-f]{16}\)\n/)
    expect(result.stdout).toContain('1 credential found in 1 file')
    expect(result.stdout + result.stderr).not.toContain(key.slice(11))
  })

  test('exits 0 on a clean tree', async () => {
    // GIVEN
    await writeFile(join(folder, 'README.md'), 'Set TAILSCALE_OAUTH_CLIENT_SECRET (tskey-client-…) in CI secrets, never here.\n')
    // WHEN
    const result = await tailor('scan')
    // THEN
    expect(result).toMatchObject({ code: 0, stdout: 'no credentials found in 1 file\n' })
  })

  test('--json lists findings for CI', async () => {
    // GIVEN
    await writeFile(join(folder, 'Pulumi.prod.yaml'), 'config:\n  tailscale:apiKey: hunter2hunter2hunter2\n')
    // WHEN
    const result = await tailor('scan', '--json')
    // THEN
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, filesScanned: 1, findings: [{ code: 'plaintext-stack-secret', file: 'Pulumi.prod.yaml', line: 2 }] })
  })
})
