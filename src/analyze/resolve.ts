/**
 * What each selector of a policy means in one tailnet: the devices it names and the addresses it
 * covers, as a source and as a destination.
 *
 * API (stable; the netmap, SSH and test evaluation build on it):
 * - `resolver(policy, inventory) → Resolver`
 * - `Resolver.devices`: every device, with its Tailscale addresses, approved subnet routes and
 *   whether it is an approved exit node (`Device`)
 * - `Resolver.source(selector) → Resolved { devices, addresses }`: who a `src` entry names and the
 *   source addresses it admits (a device's addresses, or literal addresses)
 * - `Resolver.destination(selector) → Destination`: what a `dst` entry (without ports) reaches
 * - `Resolver.devicesOfUser(user)`: a user's own (untagged) devices, for `autogroup:self`
 * - `Resolver.devicesAt(addresses)`: the devices owning an address in the set (not routers)
 * - `roleOf(user, tailnet)`: a user's role, for role autogroups (`autogroup:admin`, ...)
 * - `Resolver.subnetRoutes`: every approved subnet route of the tailnet (traffic to these goes to
 *   their routers, so an exit node never carries it, whatever `autogroup:internet` allows)
 *
 * Tailscale's meaning, as the captures of its control plane show it:
 * - a tagged device is its tags' identity, never its creator's: users, groups, `autogroup:member`
 *   and role autogroups match untagged devices only
 * - `*` as a source is every Tailscale address (`100.64.0.0/10` minus the ChromeOS range
 *   `100.115.92.0/23`, and `fd7a:115c:a1e0::/48`) plus every approved subnet route, but not exit
 *   routes; as a destination it is every address
 * - addresses (IPs, CIDRs, `hosts` entries, IP sets) are literal: an address names no device and
 *   does not open the device's other address
 * - `approved_routes` is the approval state the tailnet reached (auto-approval included: the
 *   captures show auto-approvable routes left unapproved), so autoApprovers are not re-applied; a
 *   route serves only while it is also advertised (`routable_ips`, when the inventory has it)
 * Unknown names resolve to nothing: whether a name is defined is the validator's business.
 */
import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { Inventory, InventoryNode, InventoryUser } from '../model/inventory.js'
import { IpSet } from './ip-set.js'
import { parseAlias, roleAutogroups, type Alias } from './parse/alias.js'
import { parseIpAddress, parseIpPrefix } from './parse/ip.js'

export interface Device {
  readonly name: string
  readonly node: InventoryNode
  /** the owner; undefined for tagged devices, whose identity is their tags */
  readonly user: InventoryUser | undefined
  readonly tags: readonly string[]
  readonly tagged: boolean
  /** the device's own Tailscale addresses (IPv4 /32 and IPv6 /128) */
  readonly addresses: IpSet
  readonly ipv4: IpSet
  readonly ipv6: IpSet
  /** approved routes other than the default routes */
  readonly subnetRoutes: IpSet
  /** approved `0.0.0.0/0` or `::/0` */
  readonly exitNode: boolean
  /** the public addresses it carries as an exit node: the internet of each family it has a default route for */
  readonly exitTo: IpSet
}

export interface Resolved {
  readonly devices: readonly Device[]
  readonly addresses: IpSet
}

export type Destination =
  /** each entry reaches as a whole the devices it touches (own address or approved subnet route) */
  | { readonly kind: 'addresses'; readonly entries: readonly IpSet[]; readonly devices: readonly Device[] }
  /** `*`: every address */
  | { readonly kind: 'all' }
  /** `autogroup:internet`: the public address space, through approved exit nodes */
  | { readonly kind: 'internet' }
  /** `autogroup:self`: each source user's own devices, decided per destination device */
  | { readonly kind: 'self' }

export interface Resolver {
  readonly devices: readonly Device[]
  source(selector: string): Resolved
  destination(selector: string): Destination
  devicesOfUser(user: InventoryUser): readonly Device[]
  devicesAt(addresses: IpSet): readonly Device[]
  readonly subnetRoutes: IpSet
}

/** `100.64.0.0/10` without `100.115.92.0/23` (ChromeOS guests), and Tailscale's ULA prefix */
export const tailscaleAddresses: IpSet = IpSet.parse('100.64.0.0/10')!
  .subtract(IpSet.parse('100.115.92.0/23')!)
  .union(IpSet.parse('fd7a:115c:a1e0::/48')!)

/**
 * `autogroup:internet`: `0.0.0.0/0` and `2000::/3` without private, CGNAT and link-local space
 * (tailscale.com/kb/1337 targets table).
 */
export const internetAddresses: IpSet = IpSet.parse('0.0.0.0/0')!
  .subtract(IpSet.unionAll(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'].map((c) => IpSet.parse(c)!)))
  .union(IpSet.parse('2000::/3')!)

const defaultRoutes = new Set(['0.0.0.0/0', '::/0'])

export function resolver(policy: TailnetPolicy, inventory: Inventory): Resolver {
  // a node names its owner by user name; the first user of that name owns it
  const userNamed = new Map<string, InventoryUser>()
  for (const u of inventory.users) if (!userNamed.has(u.name)) userNamed.set(u.name, u)
  const devices = inventory.nodes.map((node) => toDevice(node, userNamed))
  const subnetRoutes = IpSet.unionAll(devices.map((d) => d.subnetRoutes))
  const wildcardSource = tailscaleAddresses.union(subnetRoutes)
  const byUser = new Map<InventoryUser, Device[]>()
  for (const d of devices) {
    if (d.user === undefined) continue
    const list = byUser.get(d.user) ?? []
    list.push(d)
    byUser.set(d.user, list)
  }
  const byTag = new Map<string, Device[]>()
  for (const d of devices) {
    for (const tag of new Set(d.tags)) {
      const list = byTag.get(tag) ?? []
      list.push(d)
      byTag.set(tag, list)
    }
  }
  const sourceCache = new Map<string, Resolved>()
  const destinationCache = new Map<string, Destination>()

  const devicesOfUsers = (users: readonly InventoryUser[]): Device[] => users.flatMap((u) => byUser.get(u) ?? [])
  const identity = (found: readonly Device[]): Resolved => ({ devices: found, addresses: IpSet.unionAll(found.map((d) => d.addresses)) })
  const literal = (addresses: IpSet): Resolved => ({ devices: [], addresses })

  const usersByLogin = new Map<string, InventoryUser[]>()
  for (const u of inventory.users) {
    // a login names a user by email; headscale's `name@` form names one by name
    for (const key of new Set([u.email.toLowerCase(), `${u.name}@`.toLowerCase()])) {
      const list = usersByLogin.get(key) ?? []
      list.push(u)
      usersByLogin.set(key, list)
    }
  }
  const usersNamed = (login: string): readonly InventoryUser[] => usersByLogin.get(login.toLowerCase()) ?? []

  function cachedSource(selector: string): Resolved {
    let hit = sourceCache.get(selector)
    if (!hit) {
      const alias = parseAlias(selector)
      hit = 'error' in alias ? identity([]) : resolveSource(alias, new Set())
      sourceCache.set(selector, hit)
    }
    return hit
  }

  function addressesOf(alias: Alias, seen: ReadonlySet<string>): IpSet {
    switch (alias.kind) {
      case 'prefix':
        return IpSet.of([alias.prefix])
      case 'ip-range':
        return IpSet.of([alias.range])
      case 'host': {
        const value = policy.hosts?.[alias.name]
        return value === undefined ? IpSet.empty : (IpSet.parse(value.trim()) ?? IpSet.empty)
      }
      case 'ipset':
        return ipsetAddresses(alias.name, seen)
      default:
        return IpSet.empty
    }
  }

  function ipsetAddresses(name: string, seen: ReadonlySet<string>): IpSet {
    if (seen.has(name)) return IpSet.empty
    const inner = new Set(seen).add(name)
    let set = IpSet.empty
    for (const raw of policy.ipsets?.[`ipset:${name}`] ?? policy.ipsets?.[name] ?? []) {
      // KB ipsets: `add` and `remove` operations, applied in order; a bare entry adds
      const text = raw.trim()
      const remove = text.startsWith('remove ')
      const body = text.replace(/^(add|remove)\s+/, '')
      const alias = parseAlias(body)
      if ('error' in alias) continue
      const part = alias.kind === 'autogroup' && alias.name === 'internet' ? internetAddresses : addressesOf(alias, inner)
      set = remove ? set.subtract(part) : set.union(part)
    }
    return set
  }

  function resolveSource(alias: Alias, seen: ReadonlySet<string>): Resolved {
    switch (alias.kind) {
      case 'wildcard':
        return { devices, addresses: wildcardSource }
      case 'user':
        return identity(devicesOfUsers(usersNamed(alias.login)))
      case 'user-domain': {
        const domain = `@${alias.domain.toLowerCase()}`
        return identity(devicesOfUsers(inventory.users.filter((u) => u.role !== 'shared' && u.email.toLowerCase().endsWith(domain))))
      }
      case 'group': {
        const key = `group:${alias.name}`
        if (seen.has(key)) return identity([])
        const inner = new Set(seen).add(key)
        const found = new Set<Device>()
        for (const member of policy.groups?.[key] ?? []) {
          const parsed = parseAlias(member)
          if ('error' in parsed) continue
          const members = parsed.kind === 'group' ? resolveSource(parsed, inner) : cachedSource(member)
          for (const d of members.devices) found.add(d)
        }
        return identity([...found])
      }
      case 'tag':
        return identity(byTag.get(`tag:${alias.name}`) ?? [])
      case 'autogroup':
        return autogroupSource(alias.name)
      case 'prefix':
      case 'ip-range':
      case 'host':
      case 'ipset':
        return literal(addressesOf(alias, seen))
      case 'service':
        return identity([])
    }
  }

  function autogroupSource(name: string): Resolved {
    // a user with role `shared` reaches the tailnet through a device shared with them: not a member
    if (name === 'member' || name === 'members') return identity(devices.filter((d) => !d.tagged && d.user?.role !== 'shared'))
    if (name === 'shared') return identity(devicesOfUsers(inventory.users.filter((u) => u.role === 'shared')))
    if (name === 'tagged') return identity(devices.filter((d) => d.tagged))
    if (name === 'danger-all') return { devices, addresses: IpSet.all }
    if (roleAutogroups.has(name)) return identity(devicesOfUsers(inventory.users.filter((u) => roleOf(u, inventory.tailnet) === name)))
    // self, internet and nonroot name no source
    return identity([])
  }

  function resolveDestination(alias: Alias): Destination {
    switch (alias.kind) {
      case 'wildcard':
        return { kind: 'all' }
      case 'autogroup':
        if (alias.name === 'internet') return { kind: 'internet' }
        if (alias.name === 'self') return { kind: 'self' }
        break
      case 'prefix':
      case 'ip-range':
      case 'host':
      case 'ipset': {
        const addresses = addressesOf(alias, new Set())
        return { kind: 'addresses', entries: addresses.isEmpty ? [] : [addresses], devices: [] }
      }
      case 'service':
        return { kind: 'addresses', entries: [], devices: [] }
      default:
        break
    }
    const { devices: found } = resolveSource(alias, new Set())
    // one entry per address, so a device receives its own addresses and not its peers'
    const entries = found.flatMap((d) => [d.ipv4, d.ipv6].filter((s) => !s.isEmpty))
    return { kind: 'addresses', entries, devices: found }
  }

  const position = new Map(devices.map((d, i) => [d, i]))
  // every device address in order, so an address range finds its devices by binary search
  const byAddress = devices
    .flatMap((device) => device.addresses.ranges().map((r) => ({ family: r.family, value: r.first, device })))
    .sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))

  function devicesAt(addresses: IpSet): Device[] {
    const found = new Set<Device>()
    for (const r of addresses.ranges()) {
      let lo = 0
      let hi = byAddress.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        const e = byAddress[mid]!
        if (e.family < r.family || (e.family === r.family && e.value < r.first)) lo = mid + 1
        else hi = mid
      }
      for (let i = lo; i < byAddress.length; i++) {
        const e = byAddress[i]!
        if (e.family !== r.family || e.value > r.last) break
        found.add(e.device)
      }
    }
    return [...found].sort((a, b) => position.get(a)! - position.get(b)!)
  }

  return {
    devices,
    devicesAt,
    subnetRoutes,
    source: cachedSource,
    destination(selector) {
      let hit = destinationCache.get(selector)
      if (!hit) {
        const alias = parseAlias(selector)
        hit = 'error' in alias ? { kind: 'addresses', entries: [], devices: [] } : resolveDestination(alias)
        destinationCache.set(selector, hit)
      }
      return hit
    },
    devicesOfUser(user) {
      return byUser.get(user) ?? []
    },
  }
}

function toDevice(node: InventoryNode, userNamed: ReadonlyMap<string, InventoryUser>): Device {
  const tagged = node.tags.length > 0
  const ipv4 = addressSet(node.ipv4)
  const ipv6 = addressSet(node.ipv6)
  // a route serves only while the device both advertises it and has it approved
  const advertised = node.routable_ips === undefined ? undefined : new Set(node.routable_ips.map(canonicalPrefix))
  const approved = (node.approved_routes ?? []).map(canonicalPrefix).filter((r) => advertised === undefined || advertised.has(r))
  const subnetRoutes = IpSet.unionAll(approved.filter((r) => !defaultRoutes.has(r)).map((r) => IpSet.parse(r) ?? IpSet.empty))
  return {
    name: node.name,
    node,
    user: tagged || node.user === undefined ? undefined : userNamed.get(node.user),
    tags: node.tags,
    tagged,
    addresses: ipv4.union(ipv6),
    ipv4,
    ipv6,
    subnetRoutes,
    exitNode: approved.some((r) => defaultRoutes.has(r)),
    exitTo: internetAddresses.intersect(IpSet.unionAll(approved.filter((r) => defaultRoutes.has(r)).map((r) => IpSet.parse(r)!))),
  }
}

/**
 * A user's tailnet role. Without one in the inventory, a personal tailnet's owner is the user it is
 * named after (`alice@example.com`); everyone else is a member.
 */
export function roleOf(user: InventoryUser, tailnet: string): string {
  if (user.role !== undefined) return user.role
  return user.email.toLowerCase() === tailnet.toLowerCase() ? 'owner' : 'member'
}

function canonicalPrefix(text: string): string {
  return parseIpPrefix(text.trim())?.text ?? text.trim()
}

function addressSet(text: string | undefined): IpSet {
  if (text === undefined) return IpSet.empty
  const parsed = parseIpAddress(text.trim())
  return parsed ? IpSet.address(parsed.family, parsed.value) : IpSet.empty
}
