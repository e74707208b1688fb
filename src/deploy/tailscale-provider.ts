import * as pulumi from '@pulumi/pulumi'
import * as tailscale from '@pulumi/tailscale'
import type { ApiSettings, Credential } from '../io/credentials.js'
import { apiSettingsFromEnv, defaultBaseUrl } from '../io/credentials.js'

/** Which way the stack authenticates to Tailscale, strongest first. */
export type ProviderMode = 'federated' | 'oauth-client' | 'api-key' | 'environment'

export interface ProviderSettings {
  readonly mode: ProviderMode
  readonly args: tailscale.ProviderArgs
  /** the same credential for tailor's own API calls (the lost-update guard's read) */
  readonly api: ApiSettings
  readonly warnings: readonly string[]
}

/**
 * Provider settings from stack config (`tailscale:*`), falling back to the environment the provider reads anyway.
 * Per stack only the tailnet and the credential's audience differ; in CI a federated identity needs no secret:
 * `tailscale:oauthClientId` + `tailscale:audience`, and the job's GitHub OIDC token (`id-token: write`) is exchanged.
 * An OAuth client's secret must be a Pulumi secret, and it asks for no more than `policy_file`.
 */
export function providerSettings(config: pulumi.Config = new pulumi.Config('tailscale'), env: Readonly<Record<string, string | undefined>> = process.env): ProviderSettings {
  const fromEnv = apiSettingsFromEnv(env)
  const tailnet = config.get('tailnet') ?? fromEnv.tailnet
  const baseUrl = config.get('baseUrl') ?? fromEnv.baseUrl
  const clientId = config.get('oauthClientId')
  const audience = config.get('audience')
  const identityToken = config.getSecret('identityToken')
  const clientSecret = config.getSecret('oauthClientSecret')
  const apiKey = config.getSecret('apiKey')
  const common: tailscale.ProviderArgs = { tailnet, ...(baseUrl !== defaultBaseUrl ? { baseUrl } : {}) }
  const warnings: string[] = []
  if (clientId && (audience || identityToken)) {
    const credential: Credential | undefined = fromEnv.credential?.kind === 'federated' ? fromEnv.credential : undefined
    return {
      mode: 'federated',
      args: { ...common, oauthClientId: clientId, ...(audience ? { audience } : { identityToken }) },
      api: { ...fromEnv, tailnet, baseUrl, credential: credential ?? federatedFromEnv(clientId, audience, env) },
      warnings,
    }
  }
  if (clientId && clientSecret) {
    return {
      mode: 'oauth-client',
      args: { ...common, oauthClientId: clientId, oauthClientSecret: clientSecret, scopes: ['policy_file'] },
      api: { ...fromEnv, tailnet, baseUrl, credential: secretFromEnvOrConfig(clientId, env, config) },
      warnings,
    }
  }
  if (apiKey) {
    warnings.push('the stack uses tailscale:apiKey: an API access token carries all of its owner\'s rights; prefer a federated identity (tailscale:oauthClientId + tailscale:audience)')
    return { mode: 'api-key', args: { ...common, apiKey }, api: { ...fromEnv, tailnet, baseUrl }, warnings }
  }
  return { mode: 'environment', args: common, api: { ...fromEnv, tailnet, baseUrl }, warnings: [...fromEnv.warnings] }
}

/** Registers the explicit provider every tailor resource uses. */
export function createTailscaleProvider(settings: ProviderSettings = providerSettings()): tailscale.Provider {
  return new tailscale.Provider('tailscale', settings.args)
}

function federatedFromEnv(clientId: string, audience: string | undefined, env: Readonly<Record<string, string | undefined>>): Credential | undefined {
  const requestUrl = env['ACTIONS_ID_TOKEN_REQUEST_URL']
  const requestToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']
  const token = env['TAILSCALE_IDENTITY_TOKEN']
  if (token) return { kind: 'federated', clientId, identityToken: { from: 'environment', token } }
  if (audience && requestUrl && requestToken) return { kind: 'federated', clientId, identityToken: { from: 'github-actions', requestUrl, requestToken, audience } }
  return undefined
}

// the provider gets the secret as an Output so Pulumi keeps it encrypted; the guard's own read needs the plain value,
// which it only ever sends to Tailscale's token endpoint
function secretFromEnvOrConfig(clientId: string, env: Readonly<Record<string, string | undefined>>, config: pulumi.Config): Credential | undefined {
  const secret = env['TAILSCALE_OAUTH_CLIENT_SECRET'] ?? config.get('oauthClientSecret')
  return secret ? { kind: 'oauth-client', clientId, clientSecret: secret } : undefined
}
