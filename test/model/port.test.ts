import { describe, expect, test } from 'vitest'
import { Port } from '../../src/model/port.js'

describe('Port |', () => {
  test.each([
    [Port.tcp(8080), 'tcp:8080'],
    [Port.udp(53), 'udp:53'],
    [Port.range('tcp', 8000, 8099), 'tcp:8000-8099'],
    [Port.range('udp', 7, 7), 'udp:7'],
    [Port.all('tcp'), 'tcp:*'],
    [Port.icmp(), 'icmp:*'],
    [Port.any(), '*'],
    [Port.number(443), '443'],
    [Port.number(80, 443), '80-443'],
    [Port.SSH, 'tcp:22'],
    [Port.HTTPS, 'tcp:443'],
    [Port.DNS, 'udp:53'],
  ])('%s prints as the grant ip entry %s', (port, text) => {
    // THEN
    expect(String(port)).toBe(text)
    expect(`${port}`).toBe(text)
    expect(JSON.stringify([port])).toBe(JSON.stringify([text]))
  })

  test('parse reads back every form toString writes', () => {
    // GIVEN
    const texts = ['tcp:8080', 'udp:53', 'tcp:8000-8099', 'tcp:*', 'icmp:*', '*', '443', '80-443', 'sctp:9', '6:22']
    // THEN
    for (const text of texts) expect(String(Port.parse(text))).toBe(text)
  })

  test.each([
    [() => Port.tcp(0), "port 0 is not valid: first port must be >0, or use '*' for wildcard (Port.any() or Port.all(protocol))"],
    [() => Port.tcp(65536), 'port 65536 is not valid: ports are whole numbers from 1 to 65535'],
    [() => Port.udp(5.5), 'port 5.5 is not valid: ports are whole numbers from 1 to 65535'],
    [() => Port.range('tcp', 90, 80), 'port range 90-80 is inverted; write 80-90'],
    [() => Port.range('icmp', 1, 2), "protocol `icmp` has no port numbers; use Port.all('icmp')"],
    [() => Port.all('bogus' as 'tcp'), 'protocol `bogus` is not known; use an IANA number 1-255 or a name (tcp, udp, sctp, icmp, gre, esp, ah, ...)'],
    [() => Port.all('256'), 'protocol `256` is not known; use an IANA number 1-255 or a name (tcp, udp, sctp, icmp, gre, esp, ah, ...)'],
    [() => Port.parse('tcp:ssh'), 'port range "ssh" is not a port, a range or `*`'],
  ])('rejects a port no policy could mean: %s', (make, message) => {
    // THEN
    expect(make).toThrow(message)
  })

  test('isPort recognises ports, not look-alikes', () => {
    // THEN
    expect(Port.isPort(Port.tcp(1))).toBe(true)
    expect(Port.isPort({ protocol: 'tcp', first: 1, last: 1, all: false })).toBe(false)
    expect(Port.isPort('tcp:1')).toBe(false)
    expect(Port.isPort(null)).toBe(false)
  })

  test('isWithin compares protocol and range', () => {
    // THEN
    expect(Port.tcp(8080).isWithin(Port.range('tcp', 8000, 8099))).toBe(true)
    expect(Port.tcp(8080).isWithin(Port.all('tcp'))).toBe(true)
    expect(Port.tcp(8080).isWithin(Port.any())).toBe(true)
    expect(Port.udp(8080).isWithin(Port.range('tcp', 8000, 8099))).toBe(false)
    expect(Port.range('tcp', 7000, 8080).isWithin(Port.range('tcp', 8000, 8099))).toBe(false)
    expect(Port.all('tcp').isWithin(Port.range('tcp', 1, 65535))).toBe(false)
  })
})
