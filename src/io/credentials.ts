/**
 * How tailor proves itself to Tailscale's API. Credentials come only from the environment, under the names the
 * Tailscale Pulumi/Terraform provider reads, so one set-up serves `tailor pull` and `pulumi up` alike.
 * Strongest first: a federated identity holds no long-lived secret at all; an OAuth client's secret does not
 * expire but is scoped; an API access token carries all of its owner's rights.
 */
export type Credential =
  | { readonly kind: 'federated'; readonly clientId: string; readonly identityToken: IdentityTokenSource }
  | { readonly kind: 'oauth-client'; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'api-key'; readonly apiKey: string }

/** Where a federated identity's JWT comes from: given, or asked of GitHub Actions' OIDC endpoint for an audience. */
export type IdentityTokenSource =
  | { readonly from: 'environment'; readonly token: string }
  | { readonly from: 'github-actions'; readonly requestUrl: string; readonly requestToken: string; readonly audience: string }

export interface ApiSettings {
  readonly baseUrl: string
  /** `-` is the credential's own tailnet */
  readonly tailnet: string
  readonly credential: Credential | undefined
  /** what a person should know about the choice made, e.g. that an API key is the weakest option */
  readonly warnings: readonly string[]
}

export const defaultBaseUrl = 'https://api.tailscale.com'

/** The environment variables tailor reads, named once for messages and docs. */
export const credentialVariables = {
  apiKey: 'TAILSCALE_API_KEY',
  clientId: 'TAILSCALE_OAUTH_CLIENT_ID',
  clientSecret: 'TAILSCALE_OAUTH_CLIENT_SECRET',
  identityToken: 'TAILSCALE_IDENTITY_TOKEN',
  audience: 'TAILSCALE_AUDIENCE',
  tailnet: 'TAILSCALE_TAILNET',
  baseUrl: 'TAILSCALE_BASE_URL',
} as const

/** Reads the API settings from `env`; never from files or flags, so a key cannot end up in shell history or git. */
export function apiSettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ApiSettings {
  const get = (name: string) => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const v = credentialVariables
  const clientId = get(v.clientId)
  const clientSecret = get(v.clientSecret)
  const identityToken = get(v.identityToken)
  const audience = get(v.audience)
  const apiKey = get(v.apiKey)
  const requestUrl = get('ACTIONS_ID_TOKEN_REQUEST_URL')
  const requestToken = get('ACTIONS_ID_TOKEN_REQUEST_TOKEN')
  const warnings: string[] = []
  let credential: Credential | undefined
  if (clientId && identityToken) {
    credential = { kind: 'federated', clientId, identityToken: { from: 'environment', token: identityToken } }
  } else if (clientId && audience && requestUrl && requestToken) {
    credential = { kind: 'federated', clientId, identityToken: { from: 'github-actions', requestUrl, requestToken, audience } }
  } else if (clientId && clientSecret) {
    credential = { kind: 'oauth-client', clientId, clientSecret }
  } else if (apiKey) {
    credential = { kind: 'api-key', apiKey }
    warnings.push(`using ${v.apiKey}: an API access token carries all of its owner's rights and expires within 90 days; prefer a federated identity (${v.clientId} + ${v.audience} in CI) or an OAuth client with only the scopes needed`)
  } else if (clientId && audience) {
    warnings.push(`${v.audience} is set but no GitHub Actions OIDC token is available: give the job \`permissions: id-token: write\`, or set ${v.identityToken}`)
  }
  if (credential && credential.kind !== 'api-key' && apiKey) warnings.push(`${v.apiKey} is ignored because a stronger credential (${credential.kind}) is set`)
  return { baseUrl: (get(v.baseUrl) ?? defaultBaseUrl).replace(/\/+$/, ''), tailnet: get(v.tailnet) ?? '-', credential, warnings }
}

/** Which variables hold the credential, for messages that must name it without showing it. */
export function describeCredential(credential: Credential | undefined): string {
  const v = credentialVariables
  switch (credential?.kind) {
    case 'federated':
      return credential.identityToken.from === 'environment'
        ? `the federated identity ${v.clientId} with ${v.identityToken}`
        : `the federated identity ${v.clientId} with a GitHub Actions OIDC token for audience ${v.audience}`
    case 'oauth-client':
      return `the OAuth client ${v.clientId} / ${v.clientSecret}`
    case 'api-key':
      return `the API access token in ${v.apiKey}`
    case undefined:
      return 'no credential'
  }
}

export const missingCredentialHint =
  `set ${credentialVariables.clientId} and ${credentialVariables.audience} (workload identity federation, in CI with \`id-token: write\`), ` +
  `or ${credentialVariables.clientId} and ${credentialVariables.clientSecret} (an OAuth client), ` +
  `or ${credentialVariables.apiKey} (weakest); see the README section "CI and deployment"`
