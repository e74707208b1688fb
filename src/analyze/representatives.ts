/**
 * A test whose source is a group or an autogroup "runs from the perspective of a device authenticated
 * with the provided identity" (KB "Tests"), and a group destination means "devices signed in as a
 * representative member of the provided group". No such device need exist, so tailor adds one: a
 * device whose owner belongs to that group and nothing else (a fresh, untagged member; for
 * `autogroup:tagged`, a device with a tag no rule names; for a role, a user holding only that role).
 *
 * This is what makes a group's test independent of what its members happen to be granted
 * elsewhere: `group:family` may be denied a port although one member, an admin, reaches it
 * (policy files applied through Tailscale's API assert exactly this).
 *
 * API: `withRepresentatives(policy, inventory, selectors) → { policy, inventory, representatives }`
 * where `representatives` maps each selector to the name of its device.
 */
import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { Inventory, InventoryNode, InventoryUser } from '../model/inventory.js'
import { addressAllocator } from './free-addresses.js'
import { parseAlias, roleAutogroups, type Alias } from './parse/index.js'

export interface Represented {
  readonly policy: TailnetPolicy
  readonly inventory: Inventory
  /** selector (`group:dev`, `autogroup:member`) → its representative device's name */
  readonly representatives: ReadonlyMap<string, string>
}

const representedAutogroups = new Set(['member', 'members', 'tagged', ...roleAutogroups])

/** Whether a test end written this way is played by a representative device. */
export function isRepresented(selector: string, policy: TailnetPolicy): boolean {
  const alias = parseAlias(selector.trim())
  if ('error' in alias) return false
  if (alias.kind === 'group') return Array.isArray(policy.groups?.[alias.text])
  return alias.kind === 'autogroup' && representedAutogroups.has(alias.name)
}

export function withRepresentatives(policy: TailnetPolicy, inventory: Inventory, selectors: Iterable<string>): Represented {
  const wanted = [...new Set([...selectors].map((s) => s.trim()).filter((s) => isRepresented(s, policy)))].sort()
  if (wanted.length === 0) return { policy, inventory, representatives: new Map() }
  const allocate = addressAllocator(policyAddresses(policy), inventory)
  const users: InventoryUser[] = []
  const nodes: InventoryNode[] = []
  const groups: Record<string, readonly string[]> = { ...(policy.groups ?? {}) }
  const representatives = new Map<string, string>()
  wanted.forEach((selector, i) => {
    const login = `representative-${i + 1}@tailor.invalid`
    const name = `a member of ${selector}`
    const alias = parseAlias(selector) as Alias
    const role = alias.kind === 'autogroup' && roleAutogroups.has(alias.name) ? alias.name : undefined
    if (alias.kind === 'autogroup' && alias.name === 'tagged') {
      nodes.push({ name: `a device of ${selector}`, tags: ['tag:tailor-representative'], ...allocate() })
      representatives.set(selector, `a device of ${selector}`)
      return
    }
    users.push({ name: login, email: login, ...(role ? { role } : {}) })
    nodes.push({ name, user: login, tags: [], ...allocate() })
    if (alias.kind === 'group') groups[selector] = [...(groups[selector] ?? []), login]
    representatives.set(selector, name)
  })
  return {
    policy: { ...policy, groups },
    inventory: { ...inventory, users: [...inventory.users, ...users], nodes: [...inventory.nodes, ...nodes] },
    representatives,
  }
}

const aliasCache = new WeakMap<TailnetPolicy, Alias[]>()

// the characters of an IP address, a CIDR or an `a-b` range: any other string names no address
const addressLike = /^[0-9a-fA-F:./-]+$/

/** The addresses and ranges the policy names anywhere (what invented devices must keep clear of). */
function policyAddresses(policy: TailnetPolicy): Alias[] {
  const hit = aliasCache.get(policy)
  if (hit) return hit
  const out: Alias[] = []
  const add = (raw: unknown): void => {
    if (typeof raw !== 'string') return
    const text = raw.trim()
    const host = /:[0-9*,-]+$/.test(text) && !text.startsWith('[') ? text.slice(0, text.lastIndexOf(':')) : text.replace(/^\[(.*)\]:.*$/, '$1')
    for (const candidate of host === text ? [text] : [text, host]) {
      if (!addressLike.test(candidate.trim())) continue
      const alias = parseAlias(candidate)
      if (!('error' in alias) && (alias.kind === 'prefix' || alias.kind === 'ip-range')) out.push(alias)
    }
  }
  const walk = (value: unknown): void => {
    if (typeof value === 'string') add(value)
    else if (Array.isArray(value)) value.forEach(walk)
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk)
  }
  walk(policy)
  aliasCache.set(policy, out)
  return out
}
