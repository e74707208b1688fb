/**
 * A stand-in tailnet for running a policy's `tests` offline, with no credential: one device per
 * identity the policy names, so every test has someone to run from and something to reach.
 *
 * API (stable):
 * - `synthesizeInventory(policy, options?) → Inventory`
 * - `synthesizeTailnet(policy, options?) → { inventory, assumptions }`: the same, with the facts it
 *   had to assume, in words, for a report
 *
 * - every user login the policy names (groups, owners, rules, tests, approvers) owns one device
 * - every tag the policy names is carried by one device of its own (tagged devices have no owner)
 * - device addresses come from Tailscale's ranges, skipping every address and subnet the policy
 *   mentions, so a synthetic device never lands inside a range a rule opens by address
 * - what the policy cannot say is inferred from its own tests, as the most consistent tailnet:
 *   each user's role (member, a role autogroup such as `autogroup:admin`, or outside the tailnet
 *   on a shared device, hence no member), and whether a
 *   Tailscale address the policy names (`hosts`, literal IPs) is a device, and whose (a user's, or
 *   a tag's). Each unknown in turn takes the value under which most assertions pass; public policy
 *   files are written against a real tailnet, and their tests are the best record of it.
 *
 * Where this differs from the real tailnet (what `tailor check` cannot know offline):
 * - a user the policy names but who has no device fails Tailscale's tests (the source resolves to
 *   nothing); offline every named user has a device, so such a test can pass here
 * - a device carrying several tags, or a user with several devices, can make a test fail on
 *   Tailscale that passes here (all of a source's devices must be allowed)
 * - an inferred fact can be wrong where the tests do not pin it, so a test can pass offline that
 *   the real tailnet fails; `check` lists every assumption it made
 * - Services (`svc:`) have no addresses here; tests reach them by the rules that name them
 * - posture conditions are not evaluated: every device satisfies them
 */
import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { JsonPath } from '../model/diagnostic.js'
import type { Inventory, InventoryNode, InventoryUser } from '../model/inventory.js'
import { addressAllocator } from './free-addresses.js'
import { formatIp, parseAlias, type Alias } from './parse/index.js'
import { tailscaleAddresses } from './resolve.js'
import { runTests, type TestResult } from './run-tests.js'

export interface SyntheticInventoryOptions {
  /** the tailnet's name; by default the domain most of the policy's logins share */
  readonly tailnet?: string
}

export interface SyntheticTailnet {
  readonly inventory: Inventory
  /** what was inferred rather than read from the policy */
  readonly assumptions: readonly Assumption[]
  /** the policy's test results on `inventory`, when inferring already ran them */
  readonly results?: readonly TestResult[]
}

export function synthesizeInventory(policy: TailnetPolicy, options: SyntheticInventoryOptions = {}): Inventory {
  return synthesizeTailnet(policy, options).inventory
}

export function synthesizeTailnet(policy: TailnetPolicy, options: SyntheticInventoryOptions = {}): SyntheticTailnet {
  const named = namedIdentities(policy)
  const allocate = addressAllocator(named.aliases)
  const base: Inventory = {
    tailnet: options.tailnet ?? commonDomain(named.logins),
    users: named.logins.map((login, i) => ({ id: i + 1, name: login, email: login })),
    nodes: [
      ...named.logins.map((login) => ({ name: login, user: login, tags: [], ...allocate() })),
      ...named.tags.map((tag) => ({ name: tag, tags: [tag], ...allocate() })),
    ],
  }
  const unknowns = [...roleUnknowns(named), ...addressUnknowns(named, policy.hosts ?? {})]
  if (unknowns.length === 0 || ((policy.tests ?? []).length === 0 && (policy.sshTests ?? []).length === 0)) return { inventory: base, assumptions: [] }
  const { choice, results } = mostConsistent(policy, base, unknowns)
  // made only when some fact was assumed: most policies need none, and a key per result is costly
  let passing: Set<string> | undefined
  const assumptions: Assumption[] = []
  unknowns.forEach((u, i) => {
    const picked = choice[i] ?? 0
    const value = u.values[picked]
    if (picked === 0 || value === undefined) return
    const passed = (passing ??= new Set(results.filter((r) => r.passed).map((r) => pathKey(r.path))))
    // the evidence: assertions that pass with this fact and fail without it
    const without = runTests(policy, build(base, unknowns, choice.map((c, j) => (j === i ? 0 : c))))
    const evidence = without.filter((r) => !r.passed && passed.has(pathKey(r.path))).map((r) => r.path)
    assumptions.push({ fact: value.describe, evidence: [...new Map(evidence.map((p) => [pathKey(p), p])).values()] })
  })
  return { inventory: build(base, unknowns, choice), results, assumptions }
}

function pathKey(path: JsonPath): string {
  return path.join('\u0000')
}

export interface Assumption {
  /** e.g. "`alice@example.com` has the admin role (`autogroup:admin`)" */
  readonly fact: string
  /** the assertions that pass only with it (JSON paths): the tests it was inferred from */
  readonly evidence: readonly JsonPath[]
}

/** One fact the policy does not state, and the values it may take; value 0 is the default. */
interface Unknown {
  readonly values: readonly UnknownValue[]
}

interface UnknownValue {
  readonly describe: string
  apply(inventory: { users: InventoryUser[]; nodes: InventoryNode[] }): void
}

const roleNames = ['owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor']

function roleUnknowns(named: NamedIdentities): Unknown[] {
  const roles = roleNames.filter((r) => named.aliases.some((a) => a.kind === 'autogroup' && a.name === r))
  const withRole = (login: string, role: string, describe: string): UnknownValue => ({
    describe,
    apply(inv: { users: InventoryUser[] }) {
      inv.users = inv.users.map((u) => (u.name === login ? { ...u, role } : u))
    },
  })
  return named.logins.map((login) => ({
    values: [
      { describe: `\`${login}\` is a member`, apply: () => undefined },
      // a login from outside the tailnet, on a device shared with them, is no member (KB autogroup:member)
      withRole(login, 'shared', `\`${login}\` is not a member of the tailnet (a user of a shared device)`),
      ...roles.map((role) => withRole(login, role, `\`${login}\` has the ${role} role (\`autogroup:${role}\`)`)),
    ],
  }))
}

/** Single Tailscale addresses the policy names: each may be a device of a named user or tag, or just an address. */
function addressUnknowns(named: NamedIdentities, hosts: Readonly<Record<string, string>>): Unknown[] {
  const addresses = new Map<string, 4 | 6>()
  for (const alias of named.aliases) {
    if (alias.kind !== 'prefix' || !alias.single) continue
    const text = formatIp(alias.prefix.family, alias.prefix.first)
    if (tailscaleAddresses.containsAddress(alias.prefix.family, alias.prefix.first)) addresses.set(text, alias.prefix.family)
  }
  return [...addresses].sort(([a], [b]) => (a < b ? -1 : 1)).map(([address, family]) => {
    const at = family === 4 ? { ipv4: address } : { ipv6: address }
    // a device is best known by the `hosts` names the policy gives its address
    const names = Object.entries(hosts)
      .filter(([, value]) => typeof value === 'string' && value.trim().replace(/\/(32|128)$/, '') === address)
      .map(([name]) => name)
      .sort()
    const it = names.length > 0 ? `\`${names.join('`, `')}\` (${address})` : `\`${address}\``
    return {
      values: [
        { describe: `${it} is no device`, apply: () => undefined },
        ...named.logins.map((login) => ({
          describe: `${it} is a device of \`${login}\``,
          apply(inv: { nodes: InventoryNode[] }) {
            inv.nodes.push({ name: address, user: login, tags: [], ...at })
          },
        })),
        ...named.tags.map((tag) => ({
          describe: `${it} is a device tagged \`${tag}\``,
          apply(inv: { nodes: InventoryNode[] }) {
            inv.nodes.push({ name: address, tags: [tag], ...at })
          },
        })),
      ],
    }
  })
}

function build(base: Inventory, unknowns: readonly Unknown[], choice: readonly number[]): Inventory {
  const inv = { users: [...base.users], nodes: [...base.nodes] }
  unknowns.forEach((u, i) => u.values[choice[i] ?? 0]?.apply(inv))
  return { tailnet: base.tailnet, users: inv.users, nodes: inv.nodes }
}

/** Coordinate ascent: each unknown in turn takes the value under which most assertions pass, until nothing improves. */
function mostConsistent(policy: TailnetPolicy, base: Inventory, unknowns: readonly Unknown[]): { choice: number[]; results: TestResult[] } {
  const choice = unknowns.map(() => 0)
  const run = (): { results: TestResult[]; passed: number } => {
    const results = runTests(policy, build(base, unknowns, choice))
    let passed = 0
    for (const r of results) if (r.passed) passed++
    return { results, passed }
  }
  let best = run()
  const total = best.results.length
  for (let sweep = 0; sweep < 3 && best.passed < total; sweep++) {
    let improved = false
    unknowns.forEach((u, i) => {
      let keep = choice[i] ?? 0
      for (let v = 0; v < u.values.length && best.passed < total; v++) {
        if (v === keep) continue
        choice[i] = v
        const candidate = run()
        if (candidate.passed > best.passed) {
          best = candidate
          keep = v
          improved = true
        }
      }
      choice[i] = keep
    })
    if (!improved) break
  }
  return { choice, results: best.results }
}

export interface NamedIdentities {
  /** user logins, sorted */
  readonly logins: readonly string[]
  /** `tag:name`, sorted */
  readonly tags: readonly string[]
  /** every selector the policy holds, parsed */
  readonly aliases: readonly Alias[]
}

export function namedIdentities(policy: TailnetPolicy): NamedIdentities {
  const aliases: Alias[] = []
  const add = (raw: unknown): void => {
    if (typeof raw !== 'string') return
    const alias = parseAlias(raw)
    if (!('error' in alias)) aliases.push(alias)
  }
  const addHostPort = (raw: unknown): void => {
    if (typeof raw !== 'string') return
    const text = raw.trim()
    const host = text.startsWith('[') ? text.slice(1, Math.max(1, text.indexOf(']'))) : text.slice(0, Math.max(0, text.lastIndexOf(':')))
    add(host)
  }
  const each = (list: unknown, fn: (raw: unknown) => void): void => {
    if (Array.isArray(list)) for (const item of list) fn(item)
  }
  for (const [group, members] of Object.entries(policy.groups ?? {})) {
    add(group)
    each(members, add)
  }
  for (const [tag, owners] of Object.entries(policy.tagOwners ?? {})) {
    add(tag)
    each(owners, add)
  }
  for (const acl of policy.acls ?? []) {
    each(acl.src ?? acl.users, add)
    each(acl.dst ?? acl.ports, addHostPort)
  }
  for (const grant of policy.grants ?? []) {
    each(grant.src, add)
    each(grant.dst, add)
    each(grant.via, add)
  }
  for (const rule of policy.ssh ?? []) {
    each(rule.src, add)
    each(rule.dst, add)
  }
  for (const test of policy.tests ?? []) {
    add(test.src ?? test.user)
    each(test.accept, addHostPort)
    each(test.allow, addHostPort)
    each(test.deny, addHostPort)
  }
  for (const test of policy.sshTests ?? []) {
    add(test.src)
    each(test.dst, add)
  }
  for (const attr of policy.nodeAttrs ?? []) each(attr.target, add)
  for (const approvers of Object.values(policy.autoApprovers?.routes ?? {})) each(approvers, add)
  each(policy.autoApprovers?.exitNode, add)
  for (const approvers of Object.values(policy.autoApprovers?.services ?? {})) each(approvers, add)
  for (const value of Object.values(policy.hosts ?? {})) add(value)
  for (const entries of Object.values(policy.ipsets ?? {})) each(entries, (raw) => typeof raw === 'string' && add(raw.trim().replace(/^(add|remove)\s+/, '')))

  const logins = new Set<string>()
  const tags = new Set<string>()
  for (const alias of aliases) {
    if (alias.kind === 'user') logins.add(alias.login)
    if (alias.kind === 'tag' && alias.name !== '') tags.add(`tag:${alias.name}`)
  }
  return { logins: [...logins].sort(), tags: [...tags].sort(), aliases }
}

function commonDomain(logins: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const login of logins) {
    const domain = login.slice(login.lastIndexOf('@') + 1).toLowerCase()
    if (domain !== '') counts.set(domain, (counts.get(domain) ?? 0) + 1)
  }
  let best = 'example.com'
  let bestCount = 0
  for (const [domain, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count > bestCount) {
      best = domain
      bestCount = count
    }
  }
  return best
}
