import { afterEach, describe, expect, test } from 'vitest'
import { apiSettingsFromEnv } from '../../src/io/credentials.js'
import { tailscaleApi } from '../../src/io/tailscale-api.js'
import { checkLostUpdate, guardLostUpdate } from '../../src/deploy/lost-update-guard.js'
import { startFakeTailscale, type FakeTailscale } from '../support/fake-tailscale-api.js'
import { fakeTailscaleKey } from '../support/fake-credentials.js'

const applied = `{
  "groups": {"group:eng": ["alice@example.com"]},
  "tagOwners": {"tag:db": []},
  "grants": [{"src": ["group:eng"], "dst": ["tag:db"], "ip": ["tcp:5432"]}],
}
`
const editedInConsole = applied.replace('"tcp:5432"', '"tcp:5432", "tcp:22"')
const next = applied.replace('alice@example.com', 'alice@example.com", "bob@example.com')

const servers: FakeTailscale[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

describe('checkLostUpdate', () => {
  test('an edit made in the admin console since the last apply stops the apply and shows what it changed', () => {
    // WHEN
    const verdict = checkLostUpdate({ lastApplied: applied, live: editedInConsole, next, overwrite: false })
    // THEN
    expect(verdict.proceed).toBe(false)
    if (verdict.proceed) return
    expect(verdict.message).toMatch(/^refusing to apply: the live policy was changed outside git since this stack last applied it/)
    expect(verdict.message).toContain('tcp:22')
    expect(verdict.message).toContain('TAILOR_OVERWRITE_LIVE_CHANGES=true pulumi up')
    expect(verdict.diff?.broadened.length).toBeGreaterThan(0)
  })

  test('the same console edit goes through when the operator says to overwrite it', () => {
    // WHEN
    const verdict = checkLostUpdate({ lastApplied: applied, live: editedInConsole, next, overwrite: true })
    // THEN
    expect(verdict).toMatchObject({ proceed: true })
    expect(verdict.proceed && verdict.note).toMatch(/overwriting it/)
  })

  test('a live policy equal to the last applied one proceeds silently', () => {
    expect(checkLostUpdate({ lastApplied: applied, live: applied, next, overwrite: false })).toEqual({ proceed: true, note: undefined })
  })

  test('a console edit of comments or formatting only proceeds, with a note', () => {
    // WHEN
    const verdict = checkLostUpdate({ lastApplied: applied, live: `// a note from the console\n${applied.replace(/\n {2}/g, '\n    ')}`, next, overwrite: false })
    // THEN
    expect(verdict.proceed).toBe(true)
    expect(verdict.proceed && verdict.note).toMatch(/only in comments or formatting/)
  })

  test('the first apply over a hand-made policy stops and shows how it differs from the one to be applied', () => {
    // WHEN
    const verdict = checkLostUpdate({ lastApplied: undefined, live: editedInConsole, next, overwrite: false })
    // THEN
    expect(verdict.proceed).toBe(false)
    expect(!verdict.proceed && verdict.message).toMatch(/this stack has never applied a policy/)
  })
})

describe('guardLostUpdate against the API', () => {
  test('reads the live policy and refuses when it was edited in the console; the edit stays live', async () => {
    // GIVEN
    const apiKey = fakeTailscaleKey('api')
    const server = await startFakeTailscale({ policy: editedInConsole, apiKeys: [apiKey] })
    servers.push(server)
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl, TAILSCALE_API_KEY: apiKey }), { sleep: async () => {} })
    // WHEN
    const verdict = await guardLostUpdate(api, { lastApplied: applied, next, overwrite: false })
    // THEN
    expect(verdict.proceed).toBe(false)
    expect(server.policy()).toBe(editedInConsole)
    expect(server.requests.map((r) => r.method)).toEqual(['GET'])
  })

  test('a live policy that cannot be read stops the apply, with the reason', async () => {
    // GIVEN
    const server = await startFakeTailscale({ policy: applied })
    servers.push(server)
    const api = tailscaleApi(apiSettingsFromEnv({ TAILSCALE_BASE_URL: server.baseUrl }), { sleep: async () => {} })
    // WHEN
    const verdict = await guardLostUpdate(api, { lastApplied: applied, next, overwrite: false })
    // THEN
    expect(verdict.proceed).toBe(false)
    expect(!verdict.proceed && verdict.message).toMatch(/cannot read the live policy.*no Tailscale credential/s)
  })
})
