import * as pulumi from '@pulumi/pulumi'
import { beforeEach, describe, expect, test } from 'vitest'
import { createTailscaleProvider, providerSettings } from '../../src/deploy/tailscale-provider.js'
import { fakeSecret } from '../support/fake-credentials.js'
import { recordPulumiResources } from '../support/pulumi-mocks.js'

const registered = recordPulumiResources('prod')

beforeEach(() => {
  pulumi.runtime.setAllConfig({})
})

function configure(values: Record<string, string>, secrets: string[] = []): void {
  pulumi.runtime.setAllConfig(values, secrets)
}

async function providerInputs(): Promise<Record<string, unknown>> {
  await new Promise((resolve) => setTimeout(resolve, 20))
  const provider = registered.find((r) => r.type === 'pulumi:providers:tailscale')
  if (!provider) throw new Error('no tailscale provider registered')
  return provider.inputs
}

describe('the Tailscale provider config path', () => {
  test('a federated identity (client id + audience) configures OIDC workload identity and holds no secret', async () => {
    // GIVEN: the production stack's config, as the README tells a team to set it
    configure({ 'tailscale:tailnet': 'example.com', 'tailscale:oauthClientId': 'kFederated123', 'tailscale:audience': 'api.tailscale.com/kFederated123' })
    // WHEN
    const settings = providerSettings(new pulumi.Config('tailscale'), {})
    createTailscaleProvider(settings)
    // THEN
    expect(settings.mode).toBe('federated')
    const inputs = await providerInputs()
    expect(inputs).toMatchObject({ tailnet: 'example.com', oauthClientId: 'kFederated123', audience: 'api.tailscale.com/kFederated123' })
    expect(inputs).not.toHaveProperty('oauthClientSecret')
    expect(inputs).not.toHaveProperty('apiKey')
  })

  test('in GitHub Actions the guard\'s own reads use the same federated identity, asking GitHub for the audience', () => {
    // GIVEN
    configure({ 'tailscale:tailnet': 'example.com', 'tailscale:oauthClientId': 'kFederated123', 'tailscale:audience': 'api.tailscale.com/kFederated123' })
    // WHEN
    const settings = providerSettings(new pulumi.Config('tailscale'), { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://actions.example/t', ACTIONS_ID_TOKEN_REQUEST_TOKEN: fakeSecret(20) })
    // THEN
    expect(settings.api.credential).toMatchObject({ kind: 'federated', clientId: 'kFederated123', identityToken: { from: 'github-actions', audience: 'api.tailscale.com/kFederated123' } })
    expect(settings.api.tailnet).toBe('example.com')
  })

  test('the OAuth client fallback takes its secret from Pulumi secrets and asks only for `policy_file`', async () => {
    // GIVEN
    const secret = fakeSecret(40)
    configure({ 'tailscale:tailnet': 'example.com', 'tailscale:oauthClientId': 'kClient456', 'tailscale:oauthClientSecret': secret }, ['tailscale:oauthClientSecret'])
    // WHEN
    const settings = providerSettings(new pulumi.Config('tailscale'), {})
    createTailscaleProvider(settings)
    // THEN
    expect(settings.mode).toBe('oauth-client')
    const inputs = await providerInputs()
    // provider inputs that are not strings reach the provider JSON-encoded
    expect(inputs).toMatchObject({ oauthClientId: 'kClient456', scopes: '["policy_file"]' })
    expect(JSON.stringify(inputs)).toContain(secret)
    expect(settings.api.credential).toMatchObject({ kind: 'oauth-client', clientId: 'kClient456' })
  })

  test('an API key in stack config works but warns that it is the weakest option', () => {
    // GIVEN
    configure({ 'tailscale:apiKey': fakeSecret(30) }, ['tailscale:apiKey'])
    // WHEN
    const settings = providerSettings(new pulumi.Config('tailscale'), {})
    // THEN
    expect(settings.mode).toBe('api-key')
    expect(settings.warnings[0]).toMatch(/carries all of its owner's rights/)
  })

  test('with nothing in stack config the provider falls back to the environment it reads itself', () => {
    // WHEN
    const settings = providerSettings(new pulumi.Config('tailscale'), { TAILSCALE_OAUTH_CLIENT_ID: 'kEnv', TAILSCALE_OAUTH_CLIENT_SECRET: fakeSecret(30) })
    // THEN
    expect(settings.mode).toBe('environment')
    expect(settings.args).toEqual({ tailnet: '-' })
    expect(settings.api.credential?.kind).toBe('oauth-client')
  })
})
