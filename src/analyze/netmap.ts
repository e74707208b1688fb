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
  const filters: Record<string, FilterMatch[]> = {}
  for (const device of resolve.devices) filters[device.name] = packetFilter(device, rules, resolve)
  return { filters, ssh: sshRulesFor(policy, inventory) }
}

export function packetFilter(device: Device, rules: readonly GlobalRule[], resolve: Resolver): FilterMatch[] {
  const out: FilterMatch[] = []
  for (const rule of rules) {
    if (rule.kind === 'ip') out.push(...ipMatches(device, rule, resolve))
    else out.push(...appMatches(device, rule, resolve))
  }
  return out
}

/** the destination entries of a rule that land on `device`, and the sources that may use them */
interface Landing {
  readonly src: IpSet
  readonly entries: readonly IpSet[]
}

function landings(device: Device, rule: GlobalRule, resolve: Resolver, forCapabilities: boolean): Landing[] {
  const viaRouter = rule.via === undefined || rule.via.some((tag) => device.tags.includes(tag))
  if (!viaRouter) return []
  const common: IpSet[] = []
  const out: Landing[] = []
  for (const { target } of rule.destinations) {
    switch (target.kind) {
      case 'all':
        if (rule.via !== undefined) {
          if (!device.subnetRoutes.isEmpty) common.push(forCapabilities ? device.subnetRoutes : IpSet.all)
        } else common.push(forCapabilities ? device.addresses : IpSet.all)
        break
      case 'internet':
        if (device.exitNode) common.push(internetAddresses)
        break
      case 'addresses':
        for (const entry of target.entries) common.push(...landed(device, entry, rule.via !== undefined, forCapabilities))
        break
      case 'self': {
        if (rule.via !== undefined || device.tagged || device.user === undefined) break
        const own = new Set(resolve.devicesOfUser(device.user))
        const src = IpSet.unionAll(rule.src.devices.filter((d) => own.has(d)).map((d) => d.addresses))
        if (!src.isEmpty && !device.addresses.isEmpty) out.push({ src, entries: [device.addresses] })
        break
      }
    }
  }
  if (common.length > 0 && !rule.src.addresses.isEmpty) out.unshift({ src: rule.src.addresses, entries: common })
  return out
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
  if (!forCapabilities && device.exitNode && internetAddresses.covers(entry)) return [entry]
  return []
}

function ipMatches(device: Device, rule: IpRule, resolve: Resolver): FilterMatch[] {
  return landings(device, rule, resolve, false).map(({ src, entries }) => ({
    proto: [...rule.protocols],
    src: src.toCidrs(),
    dst: entries.flatMap((entry) => entry.toCidrs().flatMap((net) => rule.ports.map((p) => ({ net, ports: [p.first, p.last] as const })))),
  }))
}

function appMatches(device: Device, rule: AppRule, resolve: Resolver): FilterMatch[] {
  const out: FilterMatch[] = []
  const names = Object.keys(rule.capabilities).sort()
  for (const { src, entries } of landings(device, rule, resolve, true)) {
    const nets = entries.flatMap((e) => e.toCidrs())
    out.push({
      proto: [...defaultProtocols],
      src: src.toCidrs(),
      dst: [],
      caps: names.flatMap((Cap) => nets.map((Dst) => ({ Dst, Cap, Values: rule.capabilities[Cap] ?? [] }))),
    })
  }
  const reversed = names.filter((n) => companions[n] !== undefined)
  if (reversed.length > 0) {
    const companion = reverse(rule, resolve)
    for (const { src, entries } of landings(device, companion, resolve, true)) {
      const nets = entries.flatMap((e) => e.toCidrs())
      out.push({
        proto: [...defaultProtocols],
        src: src.toCidrs(),
        dst: [],
        caps: reversed.flatMap((name) => nets.map((Dst) => ({ Dst, Cap: companions[name]!, Values: null }))),
      })
    }
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
