import { describe, expect, test } from 'vitest'
import { defaultProtocols, parseProtocol } from '../../../src/analyze/parse/protocol.js'

describe('parseProtocol', () => {
  test.each([
    ['tcp', 6], ['TCP', 6], ['udp', 17], ['icmp', 1], ['ipv6-icmp', 58], ['sctp', 132], ['gre', 47],
    ['igmp', 2], ['ipv4', 4], ['ip-in-ip', 4], ['egp', 8], ['igp', 9], ['esp', 50], ['ah', 51],
    ['6', 6], ['16', 16], ['255', 255],
  ])('GIVEN %j WHEN parsed THEN it is protocol %i', (text, number) => {
    expect(parseProtocol(text)).toBe(number)
  })

  test.each([
    ['*', 'proto name "*" not known; use protocol number 0-255 or protocol name (icmp, tcp, udp, etc.)'],
    ['06', 'leading 0 not permitted in protocol number: "06"'],
    ['0', 'leading 0 not permitted in protocol number: "0"'],
    ['256', 'protocol number out of range (0-255): 256'],
    ['bogus', 'proto name "bogus" not known; use protocol number 0-255 or protocol name (icmp, tcp, udp, etc.)'],
  ])('GIVEN %j WHEN parsed THEN it fails with %j', (text, error) => {
    expect(parseProtocol(text)).toEqual({ error })
  })

  test('GIVEN no proto THEN the wire protocols are TCP, UDP, ICMP and ICMPv6', () => {
    expect(defaultProtocols).toEqual([6, 17, 1, 58])
  })
})
