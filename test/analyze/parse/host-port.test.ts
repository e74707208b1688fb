import { describe, expect, test } from 'vitest'
import { parseHostPort } from '../../../src/analyze/parse/host-port.js'

describe('parseHostPort', () => {
  test.each([
    ['tag:server:22,80-90', 'tag', [{ first: 22, last: 22 }, { first: 80, last: 90 }]],
    ['*:*', 'wildcard', [{ first: 0, last: 65535 }]],
    ['autogroup:self:*', 'autogroup', [{ first: 0, last: 65535 }]],
    ['ipset:prod:443', 'ipset', [{ first: 443, last: 443 }]],
    ['[fd7a:115c:a1e0::1]:22', 'prefix', [{ first: 22, last: 22 }]],
    ['[fd7a:115c:a1e0::]/48:80', 'prefix', [{ first: 80, last: 80 }]],
    ['100.64.0.0/10:443', 'prefix', [{ first: 443, last: 443 }]],
    ['alice@example.com:22', 'user', [{ first: 22, last: 22 }]],
  ])('GIVEN %j WHEN parsed THEN host is a %s with the ports listed', (text, kind, ports) => {
    // WHEN
    const hostPort = parseHostPort(text)
    // THEN
    expect(hostPort).toMatchObject({ alias: { kind }, ports })
  })

  test.each([
    ['autogroup:self', 'port range "self": invalid first integer'],
    ['tag:server:ssh', 'port range "ssh": invalid first integer'],
    ['tag:server:0', `port range "0": first port must be >0, or use '*' for wildcard`],
    ['tag:server:99999', 'port range "99999": invalid first integer'],
    ['tag:server:90-80', 'port range "90-80": invalid port range: first port is greater than last port'],
    ['tag:server:80-x', 'port range "80-x": invalid last integer'],
    ['webserver', 'hostport must contain a colon'],
    ['[100.64.0.1]:22', 'square brackets are only valid around IPv6 addresses: "100.64.0.1"'],
    ['[fd7a:115c:a1e0::/48]:443', 'square brackets are only valid around IPv6 addresses: "fd7a:115c:a1e0::/48"'],
    ['[my-host]:80', 'square brackets are only valid around IPv6 addresses: "my-host"'],
  ])('GIVEN %j WHEN parsed THEN it fails with %j', (text, error) => {
    expect(parseHostPort(text)).toEqual({ error })
  })
})
