/**
 * What Tailscale's control plane sends each device: its inbound packet filter and its SSH rules,
 * in the shapes of the conformance captures.
 *
 * API (stable):
 * - `netmap(policy, inventory) → Netmap { filters, ssh }`, keyed by node name, every node present
 * - `packetFilter(device, rules, resolver) → FilterMatch[]`: one device's filter from global rules
 *
 * A global rule lands on a device when one of its destination entries concerns the device: the
 * entry holds one of the device's addresses or overlaps one of its approved subnet routes, and it is
 * then sent whole (a `10.0.0.0/8` destination stays `10.0.0.0/8` on a router for `10.33.0.0/16`).
 * An approved exit node also receives destinations that lie wholly in the public internet, and
 * `autogroup:internet` lands only on approved exit nodes, as the public address ranges. `via`
 * grants land only on routers that carry one of the `via` tags. `autogroup:self` is decided per
 * device: the sources that belong to the device's owner, towards the device's own addresses. App
 * capabilities towards `*` name the device's own addresses, and `drive`/`relay` also grant their
 * reverse companion (`drive-sharer`, `relay-target`) from the destinations back to the sources.
 */
import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { Inventory } from '../model/inventory.js'
import { globalRules, type AppRule, type GlobalRule, type IpRule } from './global-rules.js'
import { IpSet } from './ip-set.js'
import { defaultProtocols } from './parse/protocol.js'
import { internetAddresses, resolver, type Device, type Resolver } from './resolve.js'
import { sshRulesFor, type SshRuleOut } from './ssh-rules.js'

export interface FilterDestination {
  readonly net: string
  readonly ports: readonly [first: number, last: number]
}

export interface CapabilityGrant {
  readonly Dst: string
  readonly Cap: string
  /** the grant's parameter objects; `null` for the companion capabilities Tailscale adds */
  readonly Values: readonly unknown[] | null
}

export interface FilterMatch {
  readonly proto: readonly number[]
  readonly src: readonly string[]
  readonly dst: readonly FilterDestination[]
  readonly caps?: readonly CapabilityGrant[]
}

export interface Netmap {
  readonly filters: Record<string, FilterMatch[]>
  readonly ssh: Record<string, SshRuleOut[]>
}

/** capabilities whose grant also gives the destination a capability towards the source */
const companions: Readonly<Record<string, string>> = {
  'tailscale.com/cap/drive': 'tailscale.com/cap/drive-sharer',
  'tailscale.com/cap/relay': 'tailscale.com/cap/relay-target',
}

export function netmap(policy: TailnetPolicy, inventory: Inventory): Netmap {
  const resolve = resolver(policy, inventory)
  const rules = globalRules(policy, resolve)
  const perDevice = new Map<Device, FilterMatch[]>(resolve.devices.map((d) => [d, []]))
  for (const rule of rules) {
    for (const [device, matches] of ruleMatches(rule, resolve)) perDevice.get(device)?.push(...matches)
  }
  const filters: Record<string, FilterMatch[]> = {}
  for (const [device, matches] of perDevice) filters[device.name] = matches
  return { filters, ssh: sshRulesFor(policy, inventory) }
}

/** One device's filter; `netmap` computes every device's at once, which is much cheaper than this per device. */
export function packetFilter(device: Device, rules: readonly GlobalRule[], resolve: Resolver): FilterMatch[] {
  return rules.flatMap((rule) => ruleMatches(rule, resolve).get(device) ?? [])
}

/** the destination entries of a rule that land on a device, and the sources that may use them */
interface Landing {
  readonly src: IpSet
  readonly entries: readonly IpSet[]
}

const placementCache = new WeakMap<GlobalRule, Map<Device, FilterMatch[]>>()

function ruleMatches(rule: GlobalRule, resolve: Resolver): Map<Device, FilterMatch[]> {
  let hit = placementCache.get(rule)
  if (!hit) {
    hit = new Map()
    if (rule.kind === 'ip') {
      for (const [device, landings] of placements(rule, resolve, false)) hit.set(device, ipMatches(rule, landings))
    } else {
      for (const [device, matches] of appMatches(rule, resolve)) hit.set(device, matches)
    }
    placementCache.set(rule, hit)
  }
  return hit
}

/** where a rule lands: per device, in the order of the devices, what it receives */
function placements(rule: GlobalRule, resolve: Resolver, forCapabilities: boolean): Map<Device, Landing[]> {
  const via = rule.via
  const eligible = via === undefined ? resolve.devices : resolve.devices.filter((d) => via.some((tag) => d.tags.includes(tag)))
  const eligibleSet = memberSet(eligible)
  const { routers, exitNodes } = via === undefined ? gateways(resolve.devices) : gatewaysAmong(eligible)
  const common = new Map<Device, IpSet[]>()
  const self = new Map<Device, Landing>()
  const add = (device: Device, entry: IpSet) => {
    const list = common.get(device)
    if (list) list.push(entry)
    else common.set(device, [entry])
  }

  for (const { target } of rule.destinations) {
    switch (target.kind) {
      case 'all':
        if (via !== undefined) for (const d of routers) add(d, forCapabilities ? d.subnetRoutes : IpSet.all)
        else for (const d of eligible) add(d, forCapabilities ? d.addresses : IpSet.all)
        break
      case 'internet':
        for (const d of exitNodes) add(d, d.exitTo)
        break
      case 'addresses':
        for (const d of routers) for (const entry of target.entries) for (const part of landed(d, entry, via !== undefined, forCapabilities)) add(d, part)
        if (via !== undefined) break
        if (target.devices.length > 0) {
          // identity entries are the devices' own addresses, one entry per address
          for (const d of target.devices) {
            if (!d.subnetRoutes.isEmpty) continue
            for (const own of [d.ipv4, d.ipv6]) if (!own.isEmpty) add(d, own)
          }
          break
        }
        for (const entry of target.entries) {
          const owners = resolve.devicesAt(entry).filter((d) => d.subnetRoutes.isEmpty)
          for (const d of owners) add(d, forCapabilities ? entry.intersect(d.addresses) : entry)
          if (forCapabilities || !internetAddresses.covers(entry)) continue
          for (const d of exitNodes) if (d.subnetRoutes.isEmpty && !owners.includes(d) && d.exitTo.covers(entry)) add(d, entry)
        }
        break
      case 'self': {
        if (via !== undefined) break
        const sources = rule.src.devices
        const users = new Set(sources.filter((d) => !d.tagged && d.user !== undefined).map((d) => d.user!))
        for (const user of users) {
          const own = resolve.devicesOfUser(user).filter((d) => !d.tagged)
          const src = IpSet.unionAll(own.filter((d) => memberSet(sources).has(d)).map((d) => d.addresses))
          if (src.isEmpty) continue
          for (const d of own) if (!d.addresses.isEmpty && eligibleSet.has(d)) self.set(d, { src, entries: [d.addresses] })
        }
        break
      }
    }
  }

  const out = new Map<Device, Landing[]>()
  const reached = new Set([...common.keys(), ...self.keys()])
  for (const d of resolve.devices.length <= reached.size * 4 ? resolve.devices : sortedLike(reached, resolve.devices)) {
    const landings: Landing[] = []
    const entries = common.get(d)
    if (entries && !rule.src.addresses.isEmpty) landings.push({ src: rule.src.addresses, entries })
    const mine = self.get(d)
    if (mine) landings.push(mine)
    if (landings.length > 0) out.set(d, landings)
  }
  return out
}

const gatewayCache = new WeakMap<readonly Device[], { routers: Device[]; exitNodes: Device[] }>()

function gateways(devices: readonly Device[]): { routers: Device[]; exitNodes: Device[] } {
  let hit = gatewayCache.get(devices)
  if (!hit) {
    hit = gatewaysAmong(devices)
    gatewayCache.set(devices, hit)
  }
  return hit
}

function gatewaysAmong(devices: readonly Device[]): { routers: Device[]; exitNodes: Device[] } {
  return { routers: devices.filter((d) => !d.subnetRoutes.isEmpty), exitNodes: devices.filter((d) => d.exitNode) }
}

const positions = new WeakMap<readonly Device[], ReadonlyMap<Device, number>>()

/** `subset` in the order of `all`, without walking all of `all` */
function sortedLike(subset: ReadonlySet<Device>, all: readonly Device[]): Device[] {
  let position = positions.get(all)
  if (!position) {
    position = new Map(all.map((d, i) => [d, i]))
    positions.set(all, position)
  }
  const p = position
  return [...subset].sort((a, b) => p.get(a)! - p.get(b)!)
}

const memberSets = new WeakMap<readonly Device[], ReadonlySet<Device>>()

function memberSet(devices: readonly Device[]): ReadonlySet<Device> {
  let set = memberSets.get(devices)
  if (!set) {
    set = new Set(devices)
    memberSets.set(devices, set)
  }
  return set
}

const cidrCache = new WeakMap<IpSet, string[]>()

function cidrsOf(set: IpSet): string[] {
  let cidrs = cidrCache.get(set)
  if (!cidrs) {
    cidrs = set.toCidrs()
    cidrCache.set(set, cidrs)
  }
  return cidrs
}

/**
 * The part of a destination entry a device receives: the whole entry when it overlaps an approved
 * subnet route or holds one of the device's addresses, or (approved exit nodes) lies in the public
 * internet. A capability is narrowed to the device's own addresses, except towards its routes.
 */
function landed(device: Device, entry: IpSet, viaOnly: boolean, forCapabilities: boolean): IpSet[] {
  if (entry.overlaps(device.subnetRoutes)) return [entry]
  if (viaOnly) return []
  if (entry.overlaps(device.addresses)) return [forCapabilities ? entry.intersect(device.addresses) : entry]
  if (!forCapabilities && device.exitNode && device.exitTo.covers(entry)) return [entry]
  return []
}

function ipMatches(rule: IpRule, landings: readonly Landing[]): FilterMatch[] {
  return landings.map(({ src, entries }) => ({
    proto: [...rule.protocols],
    src: [...cidrsOf(src)],
    dst: entries.flatMap((entry) => cidrsOf(entry).flatMap((net) => rule.ports.map((p) => ({ net, ports: [p.first, p.last] as const })))),
  }))
}

function appMatches(rule: AppRule, resolve: Resolver): Map<Device, FilterMatch[]> {
  const out = new Map<Device, FilterMatch[]>()
  // each landing of the rule becomes one match: its sources, and a capability per destination address
  const land = (placed: Map<Device, Landing[]>, capabilitiesAt: (nets: readonly string[]) => CapabilityGrant[]) => {
    for (const [device, landings] of placed) {
      for (const { src, entries } of landings) {
        const match = { proto: [...defaultProtocols], src: [...cidrsOf(src)], dst: [], caps: capabilitiesAt(entries.flatMap((e) => cidrsOf(e))) }
        const list = out.get(device)
        if (list) list.push(match)
        else out.set(device, [match])
      }
    }
  }
  const names = Object.keys(rule.capabilities).sort()
  land(placements(rule, resolve, true), (nets) => names.flatMap((Cap) => nets.map((Dst) => ({ Dst, Cap, Values: rule.capabilities[Cap] ?? [] }))))
  const reversed = names.filter((n) => companions[n] !== undefined)
  if (reversed.length > 0) {
    land(placements(reverse(rule, resolve), resolve, true), (nets) => reversed.flatMap((name) => nets.map((Dst) => ({ Dst, Cap: companions[name]!, Values: null }))))
  }
  return out
}

/** the companion rule: from the grant's destinations back to its sources */
function reverse(rule: AppRule, resolve: Resolver): AppRule {
  const devices = new Set<Device>()
  let addresses = IpSet.empty
  for (const { selector } of rule.destinations) {
    const r = resolve.source(selector)
    for (const d of r.devices) devices.add(d)
    addresses = addresses.union(r.addresses)
  }
  return {
    ...rule,
    sources: rule.destinations.map((d) => d.selector),
    src: { devices: resolve.devices.filter((d) => devices.has(d)), addresses },
    destinations: rule.sources.map((selector) => ({ selector, target: resolve.destination(selector) })),
  }
}
