/**
 * Whether one source address may open a connection to one destination address, by the tailnet-wide
 * rules (`global-rules.ts`), and which rules allow it. `tests`, `explain` and their reference checks
 * all ask this one question, so they agree on what a rule means.
 *
 * API (stable):
 * - `reachability(rules, resolver) → Reachability`
 * - `Reachability.allowing(src, dst, protocols, port) → IpRule[]`: the rules that let `src` reach
 *   `dst` on `port` with any of `protocols`
 * - `Reachability.allowingService(src, service, protocols, port)`: the same towards `svc:name`,
 *   which an inventory does not address: a rule reaches it by naming it, or by `*`
 *
 * A rule allows a packet when its source addresses hold the source, one of its protocols is asked
 * for, the port is in its ranges, and one of its destinations holds the destination: an address
 * entry by containment, `*` always, `autogroup:internet` for public addresses, and `autogroup:self`
 * when both ends are devices of the same user. `via` routers and posture conditions do not narrow
 * reachability here: they decide *how* traffic flows, not whether the policy allows it.
 */
import type { IpFamily } from './parse/ip.js'
import type { GlobalRule, IpRule } from './global-rules.js'
import { IpSet } from './ip-set.js'
import { internetAddresses, type Device, type Resolver } from './resolve.js'

/** One address, in the interval encoding of `ip-set.ts`. */
export interface Address {
  readonly family: IpFamily
  readonly value: bigint
}

export interface Reachability {
  allowing(src: Address, dst: Address, protocols: readonly number[], port: number): IpRule[]
  allowingService(src: Address, service: string, protocols: readonly number[], port: number): IpRule[]
  /** the device that holds this address as its own, if any */
  deviceAt(address: Address): Device | undefined
}

export interface ReachabilityOptions {
  /** whether `autogroup:internet` reaches public addresses (through an exit node); default yes, as policy files applied through Tailscale's API test `1.1.1.1:53` against it */
  readonly internet?: boolean
}

export function reachability(rules: readonly GlobalRule[], resolve: Resolver, options: ReachabilityOptions = {}): Reachability {
  const internet = options.internet ?? true
  const ipRules = rules.filter((r): r is IpRule => r.kind === 'ip')
  const byAddress = new Map<string, Device>()
  for (const device of resolve.devices) {
    for (const range of device.addresses.ranges()) byAddress.set(`${range.family}/${range.first}`, device)
  }
  const deviceAt = (a: Address): Device | undefined => byAddress.get(addressKey(a))
  // rules by the source address they admit; tests ask about few sources many times. A rule admits a
  // device's address through the identities it names (indexed by device) or through literal
  // addresses beyond those devices (checked by containment); scanning every rule per address would
  // cost rules × devices on a large tailnet.
  const order = new Map<IpRule, number>(ipRules.map((r, i) => [r, i]))
  const byDevice = new Map<Device, IpRule[]>()
  const literal: { readonly rule: IpRule; readonly extra: IpSet }[] = []
  const extraOf = new Map<IpRule['src'], IpSet>()
  for (const rule of ipRules) {
    for (const device of rule.src.devices) {
      const list = byDevice.get(device)
      if (list) list.push(rule)
      else byDevice.set(device, [rule])
    }
    let extra = extraOf.get(rule.src)
    if (!extra) {
      extra = rule.src.addresses.subtract(IpSet.unionAll(rule.src.devices.map((d) => d.addresses)))
      extraOf.set(rule.src, extra)
    }
    if (!extra.isEmpty) literal.push({ rule, extra })
  }
  const bySource = new Map<string, IpRule[]>()
  const rulesFrom = (src: Address): IpRule[] => {
    const key = addressKey(src)
    let hit = bySource.get(key)
    if (!hit) {
      const device = deviceAt(src)
      const found = new Set<IpRule>()
      for (const rule of device ? (byDevice.get(device) ?? []) : []) if (rule.src.addresses.containsAddress(src.family, src.value)) found.add(rule)
      for (const { rule, extra } of literal) if (extra.containsAddress(src.family, src.value)) found.add(rule)
      hit = [...found].sort((a, b) => order.get(a)! - order.get(b)!)
      bySource.set(key, hit)
    }
    return hit
  }

  // a rule's ports and protocols are checked in place: the source's rules are few, and remembering
  // each (source, protocols, port) question would cost more memory than it saves time
  const opens = (rule: IpRule, protocols: readonly number[], port: number): boolean => {
    let ported = false
    for (const r of rule.ports) {
      if (r.first <= port && port <= r.last) {
        ported = true
        break
      }
    }
    if (!ported) return false
    for (const p of rule.protocols) if (protocols.includes(p)) return true
    return false
  }

  return {
    deviceAt,
    allowing(src, dst, protocols, port) {
      const out: IpRule[] = []
      for (const rule of rulesFrom(src)) {
        if (!opens(rule, protocols, port)) continue
        for (const d of rule.destinations) {
          if (holds(d.target, src, dst, deviceAt, internet)) {
            out.push(rule)
            break
          }
        }
      }
      return out
    },
    allowingService(src, service, protocols, port) {
      return rulesFrom(src).filter((rule) => opens(rule, protocols, port) && rule.destinations.some((d) => d.target.kind === 'all' || d.selector === service))
    },
  }
}

const keys = new WeakMap<Address, string>()
function addressKey(address: Address): string {
  let key = keys.get(address)
  if (key === undefined) {
    key = `${address.family}/${address.value}`
    keys.set(address, key)
  }
  return key
}

function holds(target: IpRule['destinations'][number]['target'], src: Address, dst: Address, deviceAt: (a: Address) => Device | undefined, internet: boolean): boolean {
  switch (target.kind) {
    case 'all':
      return true
    case 'internet':
      return internet && internetAddresses.containsAddress(dst.family, dst.value)
    case 'addresses':
      for (const e of target.entries) if (e.containsAddress(dst.family, dst.value)) return true
      return false
    case 'self': {
      const from = deviceAt(src)
      const to = deviceAt(dst)
      return from?.user !== undefined && to?.user === from.user
    }
  }
}
