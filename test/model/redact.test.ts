import { describe, expect, test } from 'vitest'
import { redact, redactValue } from '../../src/model/redact.js'
import { fakeGithubToken, fakeJwt, fakeSecret, fakeTailscaleKey } from '../support/fake-credentials.js'

describe('redact', () => {
  test.each(['api', 'client', 'auth'] as const)('a Tailscale %s key keeps only its kind', (kind) => {
    // GIVEN
    const key = fakeTailscaleKey(kind)
    // WHEN
    const shown = redact(`POST /api/v2/oauth/token failed for client_secret=${key}: 401`)
    // THEN
    expect(shown).toBe(`POST /api/v2/oauth/token failed for client_secret=tskey-${kind}-[redacted]: 401`)
    expect(shown).not.toContain(key.split('-')[3])
  })

  test('GitHub tokens, OIDC identity tokens and bearer headers are hidden', () => {
    // GIVEN
    const github = fakeGithubToken()
    const jwt = fakeJwt()
    const bearer = fakeSecret(24)
    // WHEN
    const shown = redact(`token ${github}\nidentity ${jwt}\nAuthorization: Bearer ${bearer}`)
    // THEN
    expect(shown).not.toContain(github)
    expect(shown).not.toContain(jwt.split('.')[1])
    expect(shown).not.toContain(bearer)
    expect(shown).toContain('Bearer [redacted]')
  })

  test('redacting twice changes nothing more, and text without keys is untouched', () => {
    // GIVEN
    const once = redact(`key ${fakeTailscaleKey('api')} in group:eng`)
    // THEN
    expect(redact(once)).toBe(once)
    expect(redact('tag:server allows group:eng on tcp:443')).toBe('tag:server allows group:eng on tcp:443')
  })

  test('redactValue hides keys anywhere inside a JSON value', () => {
    // GIVEN
    const key = fakeTailscaleKey('client')
    // WHEN
    const shown = JSON.stringify(redactValue({ message: 'bad', data: [{ errors: [key] }] }))
    // THEN
    expect(shown).not.toContain(key)
    expect(shown).toContain('tskey-client-[redacted]')
  })
})

describe('redact, assignments', () => {
  test('an OAuth client secret or AWS secret key in an assignment keeps its name and loses its value', () => {
    // GIVEN
    const oauth = `${fakeSecret(39)}7`
    const aws = fakeSecret(40)
    // WHEN
    const shown = redact(`TAILSCALE_OAUTH_CLIENT_SECRET=${oauth}\n{"client_secret": "${oauth}"}\naws_secret_access_key = ${aws}`)
    // THEN
    expect(shown).toBe('TAILSCALE_OAUTH_CLIENT_SECRET=[redacted]\n{"client_secret": "[redacted]"}\naws_secret_access_key = [redacted]')
  })

  test('an assignment from a CI secret or a placeholder is not a secret', () => {
    expect(redact('client_secret: ${{ secrets.TS_OAUTH_SECRET }}\nclient_secret=<your secret>')).toBe('client_secret: ${{ secrets.TS_OAUTH_SECRET }}\nclient_secret=<your secret>')
  })
})

test('code that passes a secret along by name is not a secret', () => {
  expect(redact('new URLSearchParams({ client_secret: credential.clientSecret })')).toBe('new URLSearchParams({ client_secret: credential.clientSecret })')
})
