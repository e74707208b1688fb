import { describe, expect, test } from 'vitest'
import { parseGrantIp } from '../../../src/analyze/parse/grant-ip.js'

describe('parseGrantIp', () => {
  test.each([
    ['*', undefined, [{ first: 0, last: 65535 }]],
    ['443', undefined, [{ first: 443, last: 443 }]],
    ['80-443', undefined, [{ first: 80, last: 443 }]],
    ['tcp:443', 6, [{ first: 443, last: 443 }]],
    ['udp:53,5353', 17, [{ first: 53, last: 53 }, { first: 5353, last: 5353 }]],
    ['icmp:*', 1, [{ first: 0, last: 65535 }]],
    ['47:*', 47, [{ first: 0, last: 65535 }]],
    ['*:8096', undefined, [{ first: 8096, last: 8096 }]],
  ])('GIVEN %j WHEN parsed THEN protocol %s with the ports listed', (text, protocol, ports) => {
    expect(parseGrantIp(text)).toEqual({ protocol, ports })
  })

  test.each([
    ['icmp', 'port range "icmp": invalid first integer'],
    ['tcp:0', `port range "0": first port must be >0, or use '*' for wildcard`],
    ['icmp:22', 'protocol does not support specific ports: "icmp", only "*" is allowed'],
    ['tcp:22:23', 'expected only one colon in Internet protocol and port type, got: "tcp:22:23"'],
  ])('GIVEN %j WHEN parsed THEN it fails with %j', (text, error) => {
    expect(parseGrantIp(text)).toEqual({ error })
  })
})
