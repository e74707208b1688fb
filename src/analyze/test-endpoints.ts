/**
 * The two ends of a `tests` or `sshTests` assertion, resolved against an inventory the way Tailscale
 * resolves them: a test names specific entities, so wildcards, CIDRs and most autogroups are not
 * ends, and an end that names nobody fails the test (policytest and sshtest captures).
 *
 * API (stable; `run-tests.ts` and `explain.ts` use it):
 * - `testSource(text, world) → Endpoint | failure`: the addresses a test runs from
 * - `testDestination(text, world) → { endpoint, port } | failure`: a `host:port` entry
 * - `testHost(text, world)`: a destination without a port (explain)
 * - `sshTestDestination(text, world, source)`: the devices an sshTests `dst` names
 */
import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { Inventory } from '../model/inventory.js'
import { IpSet } from './ip-set.js'
import type { Address } from './reachability.js'
import { parseAlias, parseIpAddress, type Alias } from './parse/index.js'
import type { Device, Resolver } from './resolve.js'

export interface Endpoint {
  /** the selector as written, trimmed */
  readonly text: string
  /** the devices it names (empty for a literal address) */
  readonly devices: readonly Device[]
  /** one entry per address: a device's IPv4 and IPv6, or the literal address */
  readonly addresses: readonly Address[]
  /** set for `svc:name`: Services are named, not addressed, in an inventory */
  readonly service?: string
  /** a user login the inventory does not know: no device, so nothing is reached from it */
  readonly outsider?: boolean
}

/** What an end is resolved against. */
export interface TestWorld {
  readonly policy: TailnetPolicy
  readonly inventory: Inventory
  readonly resolve: Resolver
  /** groups and autogroups played by one representative device (`representatives.ts`): selector → device name */
  readonly representatives?: ReadonlyMap<string, string>
}

export interface EndpointFailure {
  readonly error: string
}

export function isEndpointFailure<T extends object>(value: T | EndpointFailure): value is EndpointFailure {
  return 'error' in value
}

export function testSource(raw: unknown, world: TestWorld): Endpoint | EndpointFailure {
  if (typeof raw !== 'string' || raw.trim() === '') return { error: 'the test has no `src`' }
  return endpoint(raw.trim(), world, 'source')
}

export function testHost(raw: string, world: TestWorld): Endpoint | EndpointFailure {
  return endpoint(raw.trim(), world, 'destination')
}

/** `tag:web:443`, `alice@example.com:22`, `[fd7a:115c:a1e0::1]:80`: one host and one port number. */
type Destination = { readonly endpoint: Endpoint; readonly port: number } | EndpointFailure

// parsed afresh each time: `host:port` texts rarely repeat (a tailnet's tags times their ports), and a
// map of them would hold one entry per assertion; the host's resolution is what is shared
export function testDestination(raw: unknown, world: TestWorld): Destination {
  if (typeof raw !== 'string') return { error: 'a test destination must be a string `host:port`' }
  return parseDestination(raw, world)
}

function parseDestination(raw: string, world: TestWorld): Destination {
  const text = raw.trim()
  let host: string
  let portText: string
  if (text.startsWith('[')) {
    const close = text.indexOf(']')
    if (close < 0 || text[close + 1] !== ':') return { error: `${JSON.stringify(text)}: expected \`[ipv6]:port\`` }
    host = text.slice(1, close)
    portText = text.slice(close + 2)
  } else {
    const colon = text.lastIndexOf(':')
    if (colon < 0) return { error: `${JSON.stringify(text)}: a test destination is \`host:port\`` }
    host = text.slice(0, colon)
    portText = text.slice(colon + 1)
  }
  // one port number: Tailscale fails lists, ranges and `*` even where a rule allows exactly those
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    return { error: `${JSON.stringify(text)}: the port must be a single number from 0 to 65535, got ${JSON.stringify(portText)}` }
  }
  const resolved = endpoint(host, world, 'destination')
  if (isEndpointFailure(resolved)) return resolved
  return { endpoint: resolved, port: Number(portText) }
}

/**
 * sshTests `dst`: devices only. A bare IPv4 address or a `hosts` entry finds the device holding it;
 * a bare IPv6 address finds nothing, as Tailscale fails it (capture sshtest-malformed-dst-bare-ipv6).
 * `autogroup:self` is the source's own devices.
 */
export function sshTestDestination(raw: unknown, world: TestWorld, source: Endpoint): readonly Device[] | EndpointFailure {
  if (typeof raw !== 'string' || raw.trim() === '') return { error: 'an sshTests destination must be a non-empty string' }
  const text = raw.trim()
  if (text === 'autogroup:self') {
    const owners = new Set(source.devices.flatMap((d) => (d.user ? [d.user] : [])))
    return world.resolve.devices.filter((d) => d.user !== undefined && owners.has(d.user))
  }
  const found = endpoint(text, world, 'destination')
  if (isEndpointFailure(found)) return found
  if (found.devices.length > 0) return found.devices
  const devices = found.addresses.filter((a) => a.family === 4).flatMap((a) => holder(world.resolve, a))
  if (devices.length === 0) return { error: `destination ${JSON.stringify(text)} is no device of the tailnet` }
  return devices
}

// the resolver's address index, in inventory order: a device's own addresses are single addresses
function holder(resolve: Resolver, address: Address): readonly Device[] {
  return resolve.devicesAt(IpSet.address(address.family, address.value))
}

// assertions name the same ends many times: resolve each once per world
// one map per role, keyed by the text as written: no key string to build per lookup
const endpointCache = new WeakMap<TestWorld, Record<'source' | 'destination', Map<string, Endpoint | EndpointFailure>>>()

function endpoint(text: string, world: TestWorld, role: 'source' | 'destination'): Endpoint | EndpointFailure {
  let caches = endpointCache.get(world)
  if (!caches) {
    caches = { source: new Map(), destination: new Map() }
    endpointCache.set(world, caches)
  }
  const cache = caches[role]
  let hit = cache.get(text)
  if (!hit) {
    hit = resolveEndpoint(text, world, role)
    cache.set(text, hit)
  }
  return hit
}

function resolveEndpoint(text: string, world: TestWorld, role: 'source' | 'destination'): Endpoint | EndpointFailure {
  const { resolve } = world
  const alias = parseAlias(text)
  if ('error' in alias) return { error: `${JSON.stringify(text)}: ${alias.error}` }
  const representative = world.representatives?.get(text)
  if (representative !== undefined) {
    const device = deviceNamed(resolve, representative)
    if (device) return { text, devices: [device], addresses: addressesOf(device) }
  }
  const named = (devices: readonly Device[]): Endpoint | EndpointFailure =>
    devices.length === 0 ? { error: `${role} ${JSON.stringify(text)} resolved to no IP addresses` } : { text, devices, addresses: devices.flatMap(addressesOf) }
  switch (alias.kind) {
    case 'user':
      if (!knownUser(alias.login, world.inventory)) {
        // a source outside the tailnet has no device to reach anything from: its `accept` fails and its
        // `deny` holds (a policy applied through Tailscale's API denies `torvalds@github` this way)
        if (role === 'source') return { text, devices: [], addresses: [], outsider: true }
        return { error: `${role} ${JSON.stringify(text)} is not a user of the tailnet` }
      }
      return named(resolve.source(text).devices)
    case 'group':
    case 'tag':
      return named(resolve.source(text).devices)
    case 'autogroup':
      if (role === 'source' && ['member', 'members', 'tagged', 'owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor'].includes(alias.name)) {
        return named(resolve.source(text).devices)
      }
      return { error: `${JSON.stringify(text)} is not a specific ${role}: tests name users, groups, tags, hosts or addresses` }
    case 'host':
      return literal(text, alias, world.policy, role)
    case 'prefix':
      return alias.single ? { text, devices: [], addresses: [{ family: alias.prefix.family, value: alias.prefix.first }] } : notSpecific(text, role)
    case 'service':
      return role === 'destination' ? { text, devices: [], addresses: [], service: text } : notSpecific(text, role)
    case 'wildcard':
    case 'user-domain':
    case 'ip-range':
    case 'ipset':
      return notSpecific(text, role)
  }
}

function literal(text: string, alias: Extract<Alias, { kind: 'host' }>, policy: TailnetPolicy, role: 'source' | 'destination'): Endpoint | EndpointFailure {
  const value = policy.hosts?.[alias.name]
  if (typeof value !== 'string') return { error: `${role} ${JSON.stringify(text)} is not defined in \`hosts\`` }
  const trimmed = value.trim()
  const single = trimmed.endsWith('/32') || trimmed.endsWith('/128') ? trimmed.slice(0, trimmed.lastIndexOf('/')) : trimmed
  const address = parseIpAddress(single)
  // a host standing for a subnet is a CIDR in disguise, and tests take single addresses only
  if (!address) return { error: `host ${JSON.stringify(text)} is ${JSON.stringify(value)}, not a single address` }
  return { text, devices: [], addresses: [address] }
}

function notSpecific(text: string, role: 'source' | 'destination'): EndpointFailure {
  return { error: `${JSON.stringify(text)} is not a specific ${role}: tests take one user, group, tag, host or address, without wildcards or CIDRs` }
}

const loginsOf = new WeakMap<Inventory, Set<string>>()

function knownUser(login: string, inventory: Inventory): boolean {
  let logins = loginsOf.get(inventory)
  if (!logins) {
    logins = new Set(inventory.users.flatMap((u) => [u.email.toLowerCase(), `${u.name}@`.toLowerCase()]))
    loginsOf.set(inventory, logins)
  }
  return logins.has(login.toLowerCase())
}

const byName = new WeakMap<Resolver, Map<string, Device>>()

/** the first device of that name, found without a scan of the tailnet per representative */
function deviceNamed(resolve: Resolver, name: string): Device | undefined {
  let named = byName.get(resolve)
  if (!named) {
    named = new Map()
    for (const d of resolve.devices) if (!named.has(d.name)) named.set(d.name, d)
    byName.set(resolve, named)
  }
  return named.get(name)
}

function addressesOf(device: Device): Address[] {
  return device.addresses.ranges().map((r) => ({ family: r.family, value: r.first }))
}
