import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { flowsOf } from '../../src/analyze/flows.js'

describe('flowsOf', () => {
  test('a group source becomes one flow per member, each keeping the rule that allows it', () => {
    // GIVEN
    const policy: TailnetPolicy = { groups: { 'group:eng': ['alice@example.com', 'bob@example.com'] }, grants: [{ src: ['group:eng'], dst: ['tag:db'], ip: ['tcp:5432'] }] }
    // WHEN
    const { ip } = flowsOf(policy)
    // THEN
    expect(ip).toStrictEqual([
      { src: 'alice@example.com', dst: 'tag:db', proto: 6, ports: { first: 5432, last: 5432 }, posture: [], via: [], rule: ['grants', 0] },
      { src: 'bob@example.com', dst: 'tag:db', proto: 6, ports: { first: 5432, last: 5432 }, posture: [], via: [], rule: ['grants', 0] },
    ])
  })

  test('a rule without a protocol allows TCP and UDP on its ports and ICMP on all', () => {
    // GIVEN
    const policy: TailnetPolicy = { acls: [{ action: 'accept', src: ['tag:web'], dst: ['tag:api:443'] }] }
    // WHEN
    const { ip } = flowsOf(policy)
    // THEN
    expect(ip.map((f) => [f.proto, f.ports.first, f.ports.last])).toStrictEqual([
      [6, 443, 443],
      [17, 443, 443],
      [1, 0, 65535],
      [58, 0, 65535],
    ])
  })

  test('a host alias becomes its address, and an empty group allows nobody', () => {
    // GIVEN
    const policy: TailnetPolicy = {
      groups: { 'group:nobody': [] },
      hosts: { nas: '192.168.1.20', lab: '10.1.0.0/16' },
      acls: [{ action: 'accept', src: ['group:nobody', 'lab'], dst: ['nas:445'], proto: 'tcp' }],
    }
    // WHEN
    const { ip } = flowsOf(policy)
    // THEN
    expect(ip.map((f) => `${f.src} → ${f.dst}`)).toStrictEqual(['10.1.0.0/16 → 192.168.1.20'])
  })

  test('defaultSrcPosture applies to rules without their own srcPosture', () => {
    // GIVEN
    const policy: TailnetPolicy = {
      defaultSrcPosture: ['posture:base'],
      grants: [
        { src: ['tag:a'], dst: ['tag:b'], ip: ['tcp:1'] },
        { src: ['tag:a'], dst: ['tag:b'], ip: ['tcp:2'], srcPosture: ['posture:strict'] },
      ],
    }
    // WHEN
    const { ip } = flowsOf(policy)
    // THEN
    expect(ip.map((f) => f.posture)).toStrictEqual([['posture:base'], ['posture:strict']])
  })

  test('app capabilities and ssh logins are atoms of their own; malformed parts are skipped, not thrown', () => {
    // GIVEN
    const policy = {
      grants: [{ src: ['tag:a'], dst: ['tag:b'], app: { 'example.com/cap/x': [{ b: 1, a: 2 }] } }, { src: 'not-a-list', dst: ['tag:b'], ip: ['22'] }],
      ssh: [{ action: 'check', src: ['alice@example.com'], dst: ['tag:b'], users: ['root', 'root'] }, { action: 'deny', src: ['x@y'], dst: ['tag:b'], users: ['root'] }],
    } as unknown as TailnetPolicy
    // WHEN
    const flows = flowsOf(policy)
    // THEN
    expect(flows.app).toStrictEqual([{ src: 'tag:a', dst: 'tag:b', capability: 'example.com/cap/x', params: '{"a":2,"b":1}', rule: ['grants', 0] }])
    expect(flows.ip).toStrictEqual([])
    expect(flows.ssh).toStrictEqual([{ src: 'alice@example.com', dst: 'tag:b', user: 'root', action: 'check', posture: [], rule: ['ssh', 0] }])
  })
})
