import { describe, expect, test } from 'vitest'
import { parseAlias } from '../../../src/analyze/parse/alias.js'

describe('parseAlias', () => {
  test.each([
    ['*', 'wildcard'],
    ['alice@example.com', 'user'],
    ['alice@github', 'user'],
    ['user:*@example.com', 'user-domain'],
    ['group:eng', 'group'],
    ['group:security@example.com', 'group'],
    ['tag:server', 'tag'],
    ['autogroup:member', 'autogroup'],
    ['webserver', 'host'],
    ['host:webserver', 'host'],
    ['100.64.0.1', 'prefix'],
    ['10.0.0.0/8', 'prefix'],
    ['fd7a:115c:a1e0::1', 'prefix'],
    ['fd7a:115c:a1e0::/48', 'prefix'],
    ['192.0.2.4-192.0.2.12', 'ip-range'],
    ['ipset:prod', 'ipset'],
    ['svc:web', 'service'],
    ['  tag:server  ', 'tag'],
  ])('GIVEN %j WHEN parsed THEN it is a %s', (text, kind) => {
    // WHEN
    const alias = parseAlias(text)
    // THEN
    expect('kind' in alias && alias.kind).toBe(kind)
  })

  test('GIVEN a CIDR with host bits WHEN parsed THEN the prefix is normalized but the text is kept', () => {
    // WHEN
    const alias = parseAlias('10.1.2.3/8')
    // THEN
    expect(alias).toMatchObject({ kind: 'prefix', text: '10.1.2.3/8', single: false, prefix: { text: '10.0.0.0/8', first: 0x0a000000n, last: 0x0affffffn } })
  })

  test('GIVEN a synced group WHEN parsed THEN it is marked synced', () => {
    expect(parseAlias('group:sec@example.com')).toMatchObject({ kind: 'group', name: 'sec@example.com', synced: true })
  })

  test.each([
    ['', 'empty alias'],
    ['user:alice@example.com', 'invalid user selector "user:alice@example.com": expected user:*@<domain>'],
    ['foo:bar', '"foo:bar": invalid address'],
  ])('GIVEN %j WHEN parsed THEN it fails with %j', (text, error) => {
    expect(parseAlias(text)).toEqual({ error })
  })
})
