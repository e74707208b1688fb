import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import type { Inventory } from '../../src/model/inventory.js'
import { resolver } from '../../src/analyze/resolve.js'

// alice (admin) and bob (example.com) and carol (other.org) own a laptop each; a tagged web server,
// a subnet router with one approved and one unapproved route, and an approved exit node
const inventory: Inventory = {
  tailnet: 'example.com',
  users: [
    { id: 1, name: 'alice', email: 'alice@example.com', role: 'admin' },
    { id: 2, name: 'bob', email: 'bob@example.com' },
    { id: 3, name: 'carol', email: 'carol@other.org' },
  ],
  nodes: [
    { name: 'alice-laptop', user: 'alice', tags: [], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
    { name: 'bob-laptop', user: 'bob', tags: [], ipv4: '100.64.0.2', ipv6: 'fd7a:115c:a1e0::2' },
    { name: 'carol-laptop', user: 'carol', tags: [], ipv4: '100.64.0.3', ipv6: 'fd7a:115c:a1e0::3' },
    { name: 'web', tags: ['tag:web'], ipv4: '100.64.0.10', ipv6: 'fd7a:115c:a1e0::a' },
    {
      name: 'router',
      tags: ['tag:router'],
      ipv4: '100.64.0.20',
      ipv6: 'fd7a:115c:a1e0::14',
      routable_ips: ['10.33.0.0/16', '192.168.7.0/24'],
      approved_routes: ['10.33.0.0/16'],
    },
    { name: 'exit', tags: ['tag:exit'], ipv4: '100.64.0.30', ipv6: 'fd7a:115c:a1e0::1e', routable_ips: ['0.0.0.0/0', '::/0'], approved_routes: ['0.0.0.0/0', '::/0'] },
  ],
}

const policy: TailnetPolicy = {
  groups: { 'group:eng': ['alice@example.com', 'carol@other.org'], 'group:empty': [] },
  hosts: { db: '10.33.0.5', lan: '192.168.7.0/24' },
  ipsets: { 'ipset:office': ['192.0.2.0/24', 'add 198.51.100.7', 'remove 192.0.2.128/25'] },
  tagOwners: { 'tag:web': [], 'tag:router': [], 'tag:exit': [] },
}

const resolve = resolver(policy, inventory)
const names = (selector: string): string[] => resolve.source(selector).devices.map((d) => d.name).sort()
const addresses = (selector: string): string[] => resolve.source(selector).addresses.toCidrs()

describe('resolver: who a source selector names', () => {
  test.each([
    ['a user login names that user’s untagged devices', 'alice@example.com', ['alice-laptop']],
    ['a group names its members’ devices', 'group:eng', ['alice-laptop', 'carol-laptop']],
    ['an empty group names nobody', 'group:empty', []],
    ['a tag names the devices carrying it', 'tag:router', ['router']],
    ['autogroup:member names every user device and no tagged one', 'autogroup:member', ['alice-laptop', 'bob-laptop', 'carol-laptop']],
    ['the legacy autogroup:members means the same', 'autogroup:members', ['alice-laptop', 'bob-laptop', 'carol-laptop']],
    ['autogroup:tagged names every tagged device', 'autogroup:tagged', ['exit', 'router', 'web']],
    ['a role autogroup names the devices of users with that role', 'autogroup:admin', ['alice-laptop']],
    ['user:*@domain names the devices of that domain’s users', 'user:*@example.com', ['alice-laptop', 'bob-laptop']],
    ['an unknown user names nobody', 'mallory@example.com', []],
    ['an address names no device, even the one that owns it', '100.64.0.1', []],
  ])('%s (%s)', (_, selector, expected) => {
    expect(names(selector)).toEqual(expected)
  })

  test('without roles in the inventory, a personal tailnet’s owner is the user it is named after', () => {
    // GIVEN
    const personal: Inventory = { ...inventory, tailnet: 'bob@example.com', users: inventory.users.map(({ role: _, ...u }) => u) }
    // WHEN
    const owners = resolver(policy, personal).source('autogroup:owner').devices.map((d) => d.name)
    const admins = resolver(policy, personal).source('autogroup:admin').devices.map((d) => d.name)
    // THEN
    expect(owners).toEqual(['bob-laptop'])
    expect(admins).toEqual([])
  })

  test('an identity source admits both addresses of each device it names', () => {
    expect(addresses('alice@example.com')).toEqual(['100.64.0.1/32', 'fd7a:115c:a1e0::1/128'])
  })

  test('`*` as a source is every Tailscale address plus approved subnet routes, but neither exit routes nor unapproved routes', () => {
    // WHEN
    const wildcard = resolve.source('*').addresses
    // THEN
    expect(wildcard.toCidrs()).toContain('10.33.0.0/16')
    expect(wildcard.toCidrs()).toContain('fd7a:115c:a1e0::/48')
    expect(wildcard.toCidrs()).not.toContain('192.168.7.0/24')
    expect(wildcard.containsAddress(4, 0x08080808n)).toBe(false) // 8.8.8.8: the exit route does not count
    expect(wildcard.containsAddress(4, (100n << 24n) | (115n << 16n) | (92n << 8n) | 1n)).toBe(false) // ChromeOS block
    expect(wildcard.containsAddress(4, (100n << 24n) | (127n << 16n) | 1n)).toBe(true)
  })

  test('the tailnet’s subnet routes are the approved ones, without exit routes', () => {
    expect(resolve.subnetRoutes.toCidrs()).toEqual(['10.33.0.0/16'])
  })

  test('autogroup:danger-all admits every address', () => {
    expect(addresses('autogroup:danger-all')).toEqual(['0.0.0.0/0', '::/0'])
  })

  test.each([
    ['a hosts entry is its literal address', 'db', ['10.33.0.5/32']],
    ['an address is literal: it does not open the device’s IPv6', '100.64.0.1', ['100.64.0.1/32']],
    ['an IP set applies its add and remove entries in order', 'ipset:office', ['192.0.2.0/25', '198.51.100.7/32']],
  ])('%s (%s)', (_, selector, expected) => {
    expect(addresses(selector)).toEqual(expected)
  })
})

describe('resolver: what a destination selector reaches', () => {
  test('an identity destination is one entry per device address, so each device receives only its own', () => {
    // WHEN
    const target = resolve.destination('group:eng')
    // THEN
    expect(target.kind).toBe('addresses')
    if (target.kind !== 'addresses') return
    expect(target.entries.map((e) => e.toCidrs())).toEqual([['100.64.0.1/32'], ['fd7a:115c:a1e0::1/128'], ['100.64.0.3/32'], ['fd7a:115c:a1e0::3/128']])
  })

  test.each([
    ['*', 'all'],
    ['autogroup:internet', 'internet'],
    ['autogroup:self', 'self'],
    ['lan', 'addresses'],
  ])('%s is a destination of kind %s', (selector, kind) => {
    expect(resolve.destination(selector).kind).toBe(kind)
  })

  test('devices know their approved routes apart from exit routes', () => {
    // WHEN
    const router = resolve.devices.find((d) => d.name === 'router')!
    const exit = resolve.devices.find((d) => d.name === 'exit')!
    // THEN
    expect(router.subnetRoutes.toCidrs()).toEqual(['10.33.0.0/16'])
    expect(router.exitNode).toBe(false)
    expect(exit.subnetRoutes.isEmpty).toBe(true)
    expect(exit.exitNode).toBe(true)
  })

  test('an approved route the device no longer advertises serves nothing', () => {
    // GIVEN
    const stale: Inventory = {
      ...inventory,
      nodes: [{ name: 'old-router', tags: ['tag:router'], ipv4: '100.64.0.40', routable_ips: ['10.1.0.0/16'], approved_routes: ['10.1.0.0/16', '10.2.0.0/16', '0.0.0.0/0'] }],
    }
    // WHEN
    const [device] = resolver(policy, stale).devices
    // THEN
    expect(device?.subnetRoutes.toCidrs()).toEqual(['10.1.0.0/16'])
    expect(device?.exitNode).toBe(false)
  })

  test('devicesAt finds the devices owning addresses in a range', () => {
    // WHEN
    const found = resolve.devicesAt(resolve.source('100.64.0.2-100.64.0.20').addresses)
    // THEN
    expect(found.map((d) => d.name)).toEqual(['bob-laptop', 'carol-laptop', 'web', 'router'])
  })
})
