/**
 * The policy's `acls` and `grants` compiled to tailnet-wide rules: who (source addresses) may reach
 * which destinations, with which protocols and ports, or which app capabilities they receive. The
 * per-device packet filters (`netmap.ts`) and reachability tests are reductions of these.
 *
 * API (stable): `globalRules(policy, resolver) → GlobalRule[]`, in policy order (acls, then grants).
 * - an ACL gives one `ip` rule per `dst` entry (each entry has its own ports)
 * - a grant gives one `ip` rule per `ip` entry, and one `app` rule when it has `app`
 * - entries that do not parse are skipped: validation reports them
 * - a policy with neither `acls` nor `grants` is one grant `* → *` on every port (captured: such a
 *   file leaves every device open to every Tailscale address)
 *
 * Posture conditions (`srcPosture`) are not modelled: an inventory carries no posture attributes,
 * so a rule applies as if every source device satisfied them.
 */
import type { Grant, TailnetPolicy } from '../compile/tailnet-policy.js'
import { IpSet } from './ip-set.js'
import { parseGrantIp } from './parse/grant-ip.js'
import { parseHostPort } from './parse/host-port.js'
import { allPorts, type PortRange } from './parse/ports.js'
import { defaultProtocols, parseProtocol } from './parse/protocol.js'
import type { Destination, Resolved, Resolver } from './resolve.js'

export interface RuleOrigin {
  readonly section: 'acls' | 'grants'
  readonly index: number
}

export interface RuleDestination {
  /** the selector as written, without ports */
  readonly selector: string
  readonly target: Destination
}

interface RuleBase {
  readonly origin: RuleOrigin
  /** the `src` selectors as written */
  readonly sources: readonly string[]
  /** every source selector's devices and addresses, united */
  readonly src: Resolved
  readonly destinations: readonly RuleDestination[]
  /** grant `via`: only routers with one of these tags carry the rule; undefined = any router */
  readonly via: readonly string[] | undefined
}

export interface IpRule extends RuleBase {
  readonly kind: 'ip'
  /** IP protocol numbers; a rule without `proto` gets TCP, UDP, ICMP and ICMPv6 */
  readonly protocols: readonly number[]
  readonly ports: readonly PortRange[]
}

export interface AppRule extends RuleBase {
  readonly kind: 'app'
  /** capability name → its parameter objects, opaque */
  readonly capabilities: Readonly<Record<string, readonly unknown[]>>
}

export type GlobalRule = IpRule | AppRule

/** a file with neither `acls` nor `grants` allows everything, as a new tailnet's default does */
const allowAll: Grant = { src: ['*'], dst: ['*'], ip: ['*'] }

export function globalRules(policy: TailnetPolicy, resolve: Resolver): GlobalRule[] {
  const rules: GlobalRule[] = []
  const sourcesOf = (selectors: readonly string[]): Resolved => {
    const resolved = selectors.map((s) => resolve.source(s))
    if (resolved.length === 1) return resolved[0]!
    const found = new Set<Resolved['devices'][number]>()
    for (const r of resolved) for (const d of r.devices) found.add(d)
    return { devices: [...found], addresses: IpSet.unionAll(resolved.map((r) => r.addresses)) }
  }

  ;(policy.acls ?? []).forEach((acl, index) => {
    if (acl.action !== 'accept') return
    const sources = acl.src ?? acl.users ?? []
    const src = sourcesOf(sources)
    let protocols = defaultProtocols
    if (acl.proto !== undefined && acl.proto.trim() !== '') {
      const parsed = parseProtocol(acl.proto)
      if (typeof parsed !== 'number') return
      protocols = [parsed]
    }
    for (const raw of acl.dst ?? acl.ports ?? []) {
      const hp = parseHostPort(raw)
      if ('error' in hp) continue
      const selector = hp.alias.text
      rules.push({
        kind: 'ip',
        origin: { section: 'acls', index },
        sources,
        src,
        destinations: [{ selector, target: resolve.destination(selector) }],
        via: undefined,
        protocols,
        ports: hp.ports,
      })
    }
  })

  ;(policy.acls == null && policy.grants == null ? [allowAll] : (policy.grants ?? [])).forEach((grant, index) => {
    const sources = grant.src ?? []
    const src = sourcesOf(sources)
    const destinations = (grant.dst ?? []).map((selector) => ({ selector: selector.trim(), target: resolve.destination(selector) }))
    const via = grant.via && grant.via.length > 0 ? grant.via.map((t) => t.trim()) : undefined
    const origin: RuleOrigin = { section: 'grants', index }
    for (const raw of grant.ip ?? []) {
      const cap = parseGrantIp(raw)
      if ('error' in cap) continue
      rules.push({
        kind: 'ip',
        origin,
        sources,
        src,
        destinations,
        via,
        protocols: cap.protocol === undefined ? defaultProtocols : [cap.protocol],
        ports: cap.ports.length > 0 ? cap.ports : [allPorts],
      })
    }
    // the captures show app capabilities through `via` reaching no device at all
    if (grant.app && Object.keys(grant.app).length > 0 && via === undefined) {
      rules.push({ kind: 'app', origin, sources, src, destinations, via, capabilities: grant.app })
    }
  })
  return rules
}
