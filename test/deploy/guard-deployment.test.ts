import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as pulumi from '@pulumi/pulumi'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { guardDeployment } from '../../src/deploy/guard-deployment.js'
import { checkStackCredentials } from '../../src/deploy/stack-credentials-guard.js'
import type { ProviderSettings } from '../../src/deploy/tailscale-provider.js'
import { apiSettingsFromEnv } from '../../src/io/credentials.js'
import { tailscaleApi } from '../../src/io/tailscale-api.js'
import { startFakeTailscale, type FakeTailscale } from '../support/fake-tailscale-api.js'
import { fakeTailscaleKey } from '../support/fake-credentials.js'

const folders: string[] = []
const servers: FakeTailscale[] = []

beforeAll(async () => {
  await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }), call: (args) => args.inputs as Record<string, unknown> }, 'tailor', 'prod', true)
})

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
  for (const server of servers.splice(0)) await server.close()
})

async function stackConfig(text: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tailor-stack-'))
  folders.push(folder)
  const file = join(folder, 'Pulumi.prod.yaml')
  await writeFile(file, text)
  return file
}

const settings = (baseUrl: string, apiKey: string): ProviderSettings => ({ mode: 'environment', args: {}, api: apiSettingsFromEnv({ TAILSCALE_BASE_URL: baseUrl, TAILSCALE_API_KEY: apiKey }), warnings: [] })

describe('guardDeployment', () => {
  test('a stack config with a plaintext OAuth secret stops the deploy, naming the line but not the secret', async () => {
    // GIVEN
    const key = fakeTailscaleKey('client')
    const file = await stackConfig(`config:\n  tailscale:tailnet: example.com\n  tailscale:oauthClientSecret: ${key}\n`)
    // WHEN
    const failure = await guardDeployment({ hujson: '{}', stackConfigFile: file, lastApplied: undefined }).catch((error: unknown) => error)
    // THEN
    expect(failure).toBeInstanceOf(pulumi.RunError)
    const message = (failure as Error).message
    expect(message).toMatch(/^refusing to deploy: the stack config holds a credential in plain text/)
    expect(message).toContain(`${file}:3:32`)
    expect(message).not.toContain(key.slice(13))
  })

  test('a clean stack config and an unchanged live policy let the deploy go on', async () => {
    // GIVEN
    const apiKey = fakeTailscaleKey('api')
    const policy = '{"grants": []}\n'
    const server = await startFakeTailscale({ policy, apiKeys: [apiKey] })
    servers.push(server)
    const file = await stackConfig('config:\n  tailscale:tailnet: example.com\n  tailscale:oauthClientSecret:\n    secure: AAABAJ0ciphertext\n')
    // WHEN
    const run = guardDeployment({ hujson: policy, stackConfigFile: file, lastApplied: policy, settings: settings(server.baseUrl, apiKey), api: tailscaleApi(settings(server.baseUrl, apiKey).api), env: {} })
    // THEN
    await expect(run).resolves.toBeUndefined()
  })

  test('checkStackCredentials accepts a config whose secrets are all `secure:`', async () => {
    // GIVEN
    const file = await stackConfig('config:\n  tailscale:oauthClientId: kAbc\n  tailscale:oauthClientSecret:\n    secure: AAABAJ0ciphertext\n')
    // THEN
    expect(await checkStackCredentials(file)).toEqual({ ok: true, problems: [] })
  })
})
