import { afterEach, describe, expect, test } from 'vitest'
import { apiSettingsFromEnv } from '../../src/io/credentials.js'
import { apiProblemDiagnostic, tailscaleApi, type ApiResult } from '../../src/io/tailscale-api.js'
import { startFakeTailscale, type FakeTailscale } from '../support/fake-tailscale-api.js'
import { fakeSecret, fakeTailscaleKey } from '../support/fake-credentials.js'

const servers: FakeTailscale[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function fake(options: Parameters<typeof startFakeTailscale>[0] = {}): Promise<FakeTailscale> {
  const server = await startFakeTailscale(options)
  servers.push(server)
  return server
}

const noWait = { sleep: async () => {} }

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.problem.code}: ${result.problem.message}`)
  return result.value
}

function problem<T>(result: ApiResult<T>) {
  if (result.ok) throw new Error('expected a problem')
  return result.problem
}

describe('tailscaleApi with an OAuth client', () => {
  test('pull reads the HuJSON text with its comments and the ETag, asking only for the read scope', async () => {
    // GIVEN
    const secret = fakeTailscaleKey('client')
    const server = await fake({ policy: '// who may reach what\n{"grants": []}\n', clients: [{ id: 'kReader', secret, scopes: ['policy_file:read'] }] })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_OAUTH_CLIENT_ID: 'kReader', TAILSCALE_OAUTH_CLIENT_SECRET: secret, TAILSCALE_TAILNET: 'example.com' }), noWait)
    // WHEN
    const live = value(await api.getPolicy())
    // THEN
    expect(live).toEqual({ text: '// who may reach what\n{"grants": []}\n', etag: server.etag() })
    expect(server.requests[0]?.body).toContain('scope=policy_file%3Aread')
    expect(server.requests[1]?.headers.accept).toBe('application/hujson')
  })

  test('a write with a stale ETag is refused with a clear message, and the console edit survives', async () => {
    // GIVEN
    const secret = fakeTailscaleKey('client')
    const server = await fake({ policy: '{"grants": []}', clients: [{ id: 'kWriter', secret, scopes: ['policy_file'] }] })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_OAUTH_CLIENT_ID: 'kWriter', TAILSCALE_OAUTH_CLIENT_SECRET: secret }), noWait)
    const read = value(await api.getPolicy())
    server.editInConsole('// added by hand\n{"grants": [{"src": ["*"], "dst": ["*"], "ip": ["*"]}]}')
    // WHEN
    const result = await api.setPolicy('{"grants": []}', { ifMatch: read.etag! })
    // THEN
    expect(problem(result)).toMatchObject({ code: 'policy-changed', status: 412, message: 'the live policy file changed since it was read (412, ETag mismatch); nothing was overwritten' })
    expect(server.policy()).toBe('// added by hand\n{"grants": [{"src": ["*"], "dst": ["*"], "ip": ["*"]}]}')
  })

  test('a write with the current ETag replaces the policy and returns the new ETag', async () => {
    // GIVEN
    const secret = fakeTailscaleKey('client')
    const server = await fake({ clients: [{ id: 'kWriter', secret, scopes: ['policy_file'] }] })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_OAUTH_CLIENT_ID: 'kWriter', TAILSCALE_OAUTH_CLIENT_SECRET: secret }), noWait)
    const read = value(await api.getPolicy())
    // WHEN
    const written = value(await api.setPolicy('{"grants": []}\n', { ifMatch: read.etag! }))
    // THEN
    expect(server.policy()).toBe('{"grants": []}\n')
    expect(written.etag).toBe(server.etag())
    expect(server.requests.at(-1)?.headers['if-match']).toBe(read.etag)
  })

  test('429 is retried after the server\'s Retry-After, then succeeds', async () => {
    // GIVEN
    const secret = fakeTailscaleKey('client')
    const server = await fake({ clients: [{ id: 'kReader', secret, scopes: ['policy_file:read'] }] })
    const waits: number[] = []
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_OAUTH_CLIENT_ID: 'kReader', TAILSCALE_OAUTH_CLIENT_SECRET: secret }), { sleep: async (ms) => void waits.push(ms) })
    server.failNext('/api/v2/tailnet', 429, 2)
    // WHEN
    const live = await api.getPolicy()
    // THEN
    expect(live.ok).toBe(true)
    expect(waits).toEqual([0, 0])
  })

  test('5xx on a read is retried with backoff; on a write it is not, so a policy is never applied twice', async () => {
    // GIVEN
    const secret = fakeTailscaleKey('client')
    const server = await fake({ clients: [{ id: 'kWriter', secret, scopes: ['policy_file'] }] })
    const waits: number[] = []
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_OAUTH_CLIENT_ID: 'kWriter', TAILSCALE_OAUTH_CLIENT_SECRET: secret }), { sleep: async (ms) => void waits.push(ms) })
    server.failNext('/api/v2/tailnet', 503, 1)
    const read = value(await api.getPolicy())
    server.failNext('/api/v2/tailnet', 502, 1)
    // WHEN
    const written = await api.setPolicy('{}', { ifMatch: read.etag! })
    // THEN
    expect(waits).toEqual([500])
    expect(problem(written)).toMatchObject({ code: 'server-error', status: 502 })
  })

  test('a client without the write scope is told which scope to add', async () => {
    // GIVEN
    const secret = fakeTailscaleKey('client')
    const server = await fake({ clients: [{ id: 'kReader', secret, scopes: ['policy_file:read'] }] })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_OAUTH_CLIENT_ID: 'kReader', TAILSCALE_OAUTH_CLIENT_SECRET: secret }), noWait)
    // WHEN
    const found = problem(await api.setPolicy('{}', { ifMatch: 'ts-default' }))
    // THEN
    expect(found).toMatchObject({ code: 'missing-scope', scope: 'policy_file' })
    expect(found.hint).toBe('add the scope `policy_file` to the OAuth client or federated identity in the admin console (Settings → Trust credentials), then retry')
  })

  test('listing devices without `devices:core:read` names that scope', async () => {
    // GIVEN
    const apiKey = fakeTailscaleKey('api')
    const secret = fakeTailscaleKey('client')
    const server = await fake({ apiKeys: [apiKey], clients: [{ id: 'kPolicy', secret, scopes: ['policy_file'] }] })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_OAUTH_CLIENT_ID: 'kPolicy', TAILSCALE_OAUTH_CLIENT_SECRET: secret }), noWait)
    // WHEN
    const found = problem(await api.listDevices())
    // THEN
    expect(found.scope).toBe('devices:core:read')
    expect(found.message).toContain('`devices:core:read`')
  })
})

describe('tailscaleApi credentials and errors', () => {
  test('401 says which credential was rejected and never prints it', async () => {
    // GIVEN
    const wrong = fakeTailscaleKey('client')
    const server = await fake({ clients: [{ id: 'kReader', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read'] }] })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_OAUTH_CLIENT_ID: 'kReader', TAILSCALE_OAUTH_CLIENT_SECRET: wrong }), noWait)
    // WHEN
    const found = problem(await api.getPolicy())
    // THEN
    expect(found.code).toBe('unauthorized')
    expect(found.message).toContain('the OAuth client TAILSCALE_OAUTH_CLIENT_ID / TAILSCALE_OAUTH_CLIENT_SECRET')
    expect(JSON.stringify([found, apiProblemDiagnostic(found)])).not.toContain(wrong.slice(13))
  })

  test('a key echoed back in an error body is redacted', async () => {
    // GIVEN
    const apiKey = fakeTailscaleKey('api')
    const server = await fake({ apiKeys: [apiKey] })
    server.failNext('/api/v2/tailnet', 400, 1, { message: `bad request from ${apiKey}` })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_API_KEY: apiKey }), noWait)
    // WHEN
    const found = problem(await api.validatePolicy('{}'))
    // THEN
    expect(found.message).toBe('Tailscale refused to validate the policy file (400): bad request from tskey-api-[redacted]')
  })

  test('with no credential at all, the problem lists the variables to set', async () => {
    // GIVEN
    const server = await fake()
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl }), noWait)
    // WHEN
    const found = problem(await api.getPolicy())
    // THEN
    expect(found.code).toBe('missing-credential')
    expect(found.hint).toMatch(/TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_AUDIENCE/)
    expect(server.requests).toEqual([])
  })

  test('an API key works but carries a warning that it is the weakest option', () => {
    // WHEN
    const settings = apiSettingsFromEnv({ TAILSCALE_API_KEY: fakeTailscaleKey('api') })
    // THEN
    expect(settings.credential?.kind).toBe('api-key')
    expect(settings.warnings[0]).toMatch(/^using TAILSCALE_API_KEY: an API access token carries all of its owner's rights/)
    expect(settings).toMatchObject({ tailnet: '-', baseUrl: 'https://api.tailscale.com' })
  })

  test('a federated identity exchanges a GitHub Actions OIDC token, asked for the configured audience', async () => {
    // GIVEN
    const jwt = `eyJ${fakeSecret(20)}.eyJ${fakeSecret(20)}.${fakeSecret(20)}`
    const server = await fake({ clients: [{ id: 'kFederated', jwt, scopes: ['policy_file'] }] })
    const oidcRequests: string[] = []
    const githubFetch: typeof fetch = async (input, init) => {
      const url = String(input)
      if (url.startsWith('https://actions.example/token')) {
        oidcRequests.push(url)
        return new Response(JSON.stringify({ value: jwt }), { status: 200 })
      }
      return fetch(input, init)
    }
    const settings = apiSettingsFromEnv({
      TAILSCALE_BASE_URL: server.baseUrl,
      TAILSCALE_OAUTH_CLIENT_ID: 'kFederated',
      TAILSCALE_AUDIENCE: 'api.tailscale.com/kFederated',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://actions.example/token?run=1',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: fakeSecret(20),
    })
    const api = tailscaleApi(settings, { ...noWait, fetch: githubFetch })
    // WHEN
    const live = await api.getPolicy()
    // THEN
    expect(live.ok).toBe(true)
    expect(oidcRequests).toEqual(['https://actions.example/token?run=1&audience=api.tailscale.com%2FkFederated'])
    expect(server.requests[0]).toMatchObject({ path: '/api/v2/oauth/token-exchange' })
  })

  test('validate reports Tailscale\'s message for an invalid policy although the status is 200', async () => {
    // GIVEN
    const apiKey = fakeTailscaleKey('api')
    const server = await fake({ apiKeys: [apiKey] })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_API_KEY: apiKey }), noWait)
    // WHEN
    const bad = value(await api.validatePolicy('{"grants": [{"src": ["tag:nonexistent"], "dst": ["*"], "ip": ["*"]}]}'))
    const good = value(await api.validatePolicy('{"grants": []}'))
    // THEN
    expect(bad).toEqual({ ok: false, message: 'src=tag not found: "tag:nonexistent"', details: [] })
    expect(good.ok).toBe(true)
  })

  test('an unknown tailnet is a 404 that says how to name the tailnet', async () => {
    // GIVEN
    const apiKey = fakeTailscaleKey('api')
    const server = await fake({ apiKeys: [apiKey] })
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_API_KEY: apiKey, TAILSCALE_TAILNET: 'other.org' }), noWait)
    // WHEN
    const found = problem(await api.getPolicy())
    // THEN
    expect(found).toMatchObject({ code: 'tailnet-not-found', status: 404 })
    expect(found.hint).toMatch(/TAILSCALE_TAILNET/)
  })
})
