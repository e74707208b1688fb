import { describe, expect, test } from 'vitest'
import { formatIp, parseIpAddress, parseIpPrefix, parseIpRange } from '../../../src/analyze/parse/ip.js'

describe('ip', () => {
  test.each([
    ['100.64.0.1', '100.64.0.1/32'],
    ['fd7a:115c:a1e0::1', 'fd7a:115c:a1e0::1/128'],
    ['::ffff:1.2.3.4/128', '::ffff:102:304/128'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1/128'],
    ['::/0', '::/0'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('GIVEN %j WHEN parsed as a prefix THEN its canonical text is %j', (text, canonical) => {
    expect(parseIpPrefix(text)?.text).toBe(canonical)
  })

  test.each(['010.0.0.1', '1.2.3', '1.2.3.4/33', 'fd7a::1::2', 'fe80::1%eth0', '1.2.3.256', 'webserver'])(
    'GIVEN %j WHEN parsed THEN it is not an address',
    (text) => {
      expect(parseIpPrefix(text)).toBeUndefined()
    },
  )

  test('GIVEN an inverted range WHEN parsed THEN it fails', () => {
    expect(parseIpRange('10.0.0.9-10.0.0.1')).toHaveProperty('error')
  })

  test('GIVEN an IPv6 address WHEN formatted THEN zeros compress as RFC 5952 says', () => {
    expect(formatIp(6, parseIpAddress('fd7a:115c:a1e0:0:0:0:0:1')!.value)).toBe('fd7a:115c:a1e0::1')
  })
})
