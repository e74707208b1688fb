/**
 * The SSH rules Tailscale's control plane sends each device: the `ssh` field of a netmap.
 *
 * API (stable; `netmap.ts` calls it for its `ssh` field, `run-tests.ts` evaluates `sshTests` on it):
 * - `sshRulesFor(policy, inventory): Record<nodeName, SshRuleOut[]>`: every node, `[]` when none applies
 * - `sshRulesForNode(policy, inventory, node)`: the same for one device
 * - `sshDecision(rules, srcAddress, login)`: what the device's `tailssh` does with a connection
 * - `sshRuleOrigin(rule)`: the index in the policy's `ssh` of the rule that produced it
 *
 * What the captures settle (`conformance/tailscale/ssh-*`): rules keep policy order except that every
 * check rule moves before every accept rule; `sshUsers` always maps `root` (to `""` when `root` is not
 * listed, so root is refused rather than falling through to `*`); `autogroup:nonroot` is `"*": "="`;
 * `localpart:*@domain` splits a rule per source user, each user's common rule followed by one mapping
 * their login's local part, and also reaches the source's own devices; every other string is a literal
 * login. Principals are compared as sets, so a tagged device is listed once, not once per tag.
 */
import type { SshRule, TailnetPolicy } from '../compile/tailnet-policy.js'
import type { Inventory, InventoryUser } from '../model/inventory.js'
import { resolver, type Device, type Resolver } from './resolve.js'

export interface SshPrincipal {
  readonly nodeIP: string
}

export interface SshAcceptAction {
  readonly accept: true
  readonly allowAgentForwarding: true
  readonly allowLocalPortForwarding: true
  readonly allowRemotePortForwarding: true
}

/** check mode: the device holds the session and asks the control plane to re-authenticate the user */
export interface SshCheckAction {
  readonly holdAndDelegate: string
}

export type SshAction = SshAcceptAction | SshCheckAction

export interface SshRuleOut {
  readonly principals: readonly SshPrincipal[]
  /** requested login → local user; `*` matches any login, `=` keeps the requested name, `""` refuses */
  readonly sshUsers: Readonly<Record<string, string>>
  readonly action: SshAction
  readonly acceptEnv?: readonly string[]
}

const acceptAction: SshAcceptAction = {
  accept: true,
  allowAgentForwarding: true,
  allowLocalPortForwarding: true,
  allowRemotePortForwarding: true,
}

/** the URL Tailscale's control plane sends; the device fills in the `$` variables */
export const checkActionUrl = 'https://login.tailscale.com/machine/ssh/action/$SRC_NODE_ID/to/$DST_NODE_ID?local_user=$LOCAL_USER'

const checkAction: SshCheckAction = { holdAndDelegate: checkActionUrl }

export function isCheckAction(action: SshAction): action is SshCheckAction {
  return 'holdAndDelegate' in action
}

export function sshRulesFor(policy: TailnetPolicy, inventory: Inventory, resolve: Resolver = resolver(policy, inventory)): Record<string, SshRuleOut[]> {
  const compiled = compileSshRules(policy, inventory, resolve)
  const out: Record<string, SshRuleOut[]> = {}
  for (const device of resolve.devices) out[device.name] = rulesForDevice(compiled, device)
  return out
}

/**
 * `sshRulesFor(...)[name]`, computed for the devices asked about only: sshTests name a few
 * destinations of a large tailnet. A name two devices share gives the later one's rules, as the record does.
 */
export function sshRulesByName(policy: TailnetPolicy, inventory: Inventory, resolve: Resolver = resolver(policy, inventory)): (name: string) => SshRuleOut[] | undefined {
  const compiled = compileSshRules(policy, inventory, resolve)
  const named = new Map<string, Device>()
  for (const device of resolve.devices) named.set(device.name, device)
  const done = new Map<Device, SshRuleOut[]>()
  return (name) => {
    const device = named.get(name)
    if (device === undefined) return undefined
    let rules = done.get(device)
    if (rules === undefined) {
      rules = rulesForDevice(compiled, device)
      done.set(device, rules)
    }
    return rules
  }
}

/** The rules of one device; `resolve` lets a caller that already resolved the policy share the work. */
export function sshRulesForDevice(policy: TailnetPolicy, inventory: Inventory, device: Device, resolve: Resolver = resolver(policy, inventory)): SshRuleOut[] {
  return rulesForDevice(compileSshRules(policy, inventory, resolve), device)
}

/** What `tailssh` on the destination does when `srcAddress` asks to log in as `login`: the first rule whose principals include the source and whose `sshUsers` maps the login to a local user decides. */
export function sshDecision(
  rules: readonly SshRuleOut[],
  srcAddress: string,
  login: string,
): { readonly action: 'accept' | 'check'; readonly localUser: string; readonly rule: number } | undefined {
  for (const [index, rule] of rules.entries()) {
    if (!rule.principals.some((p) => p.nodeIP === srcAddress)) continue
    const mapped = rule.sshUsers[login] ?? rule.sshUsers['*']
    if (mapped === undefined || mapped === '') continue
    return { action: isCheckAction(rule.action) ? 'check' : 'accept', localUser: mapped === '=' ? login : mapped, rule: index }
  }
  return undefined
}

/** One policy `ssh` rule with its selectors resolved once, so each device only filters. */
interface CompiledSshRule {
  /** index in the policy's `ssh` */
  readonly origin: number
  readonly action: SshAction
  readonly acceptEnv: readonly string[] | undefined
  readonly sshUsers: Readonly<Record<string, string>>
  /** source devices, in inventory order */
  readonly sources: readonly Device[]
  /** destination devices named by tags, users and autogroups other than `autogroup:self` */
  readonly destinations: ReadonlySet<Device>
  readonly toSelf: boolean
  /** the rule names destinations other than `autogroup:self` */
  readonly toOthers: boolean
  /** owner → the local part of their login, for `localpart:*@domain`; undefined without such a login */
  readonly localparts: ReadonlyMap<InventoryUser, string> | undefined
  /** source owners, by user id as Tailscale orders them */
  readonly owners: readonly InventoryUser[]
  /** owner → their source devices, in inventory order */
  readonly ownSources: ReadonlyMap<InventoryUser, readonly Device[]>
}

/** The compiled rules, and for each device the rules that may land on it (indexes into `rules`, in order). */
interface CompiledSshRules {
  readonly rules: readonly CompiledSshRule[]
  readonly byDevice: ReadonlyMap<Device, readonly number[]>
}

function compileSshRules(policy: TailnetPolicy, inventory: Inventory, resolve: Resolver): CompiledSshRules {
  const rules: CompiledSshRule[] = []
  const position = new Map(resolve.devices.map((d, i) => [d, i]))
  ;(policy.ssh ?? []).forEach((rule, origin) => {
    const compiled = compileRule(rule, origin, inventory, resolve, position)
    if (compiled) rules.push(compiled)
  })
  // a rule lands on its destinations, on its source owners' devices (`autogroup:self`) and, with
  // localpart logins, on its sources: indexing those spares every device a scan of every rule
  const byDevice = new Map<Device, number[]>()
  const place = (device: Device, index: number): void => {
    const list = byDevice.get(device)
    if (list === undefined) byDevice.set(device, [index])
    else if (list[list.length - 1] !== index) list.push(index)
  }
  rules.forEach((rule, index) => {
    for (const device of rule.destinations) place(device, index)
    if (rule.toSelf) for (const owner of rule.owners) for (const device of resolve.devicesOfUser(owner)) place(device, index)
    if (rule.toOthers && rule.localparts !== undefined) for (const device of rule.sources) place(device, index)
  })
  return { rules, byDevice }
}

function devicesOf(selectors: readonly string[], resolve: Resolver, position: ReadonlyMap<Device, number>): Device[] {
  const found = new Set<Device>()
  for (const selector of selectors) for (const d of resolve.source(selector.trim()).devices) found.add(d)
  // in inventory order
  return [...found].filter((d) => position.has(d)).sort((a, b) => position.get(a)! - position.get(b)!)
}

function compileRule(rule: SshRule, origin: number, inventory: Inventory, resolve: Resolver, position: ReadonlyMap<Device, number>): CompiledSshRule | undefined {
  const actionText = typeof rule.action === 'string' ? rule.action.trim() : ''
  if (actionText !== 'accept' && actionText !== 'check') return undefined
  const sources = devicesOf(rule.src ?? [], resolve, position)
  if (sources.length === 0) return undefined
  let toSelf = false
  const others: string[] = []
  for (const raw of rule.dst ?? []) {
    if (raw.trim() === 'autogroup:self') toSelf = true
    else others.push(raw)
  }
  const { sshUsers, localpartDomains } = mapLogins(rule.users ?? [])
  const ownSources = new Map<InventoryUser, Device[]>()
  for (const d of sources) {
    if (d.user === undefined) continue
    const list = ownSources.get(d.user)
    if (list === undefined) ownSources.set(d.user, [d])
    else list.push(d)
  }
  const owners = [...ownSources.keys()]
  const rank = (u: InventoryUser): number => u.id ?? inventory.users.indexOf(u)
  owners.sort((a, b) => rank(a) - rank(b))
  return {
    origin,
    action: actionText === 'check' ? checkAction : acceptAction,
    acceptEnv: Array.isArray(rule.acceptEnv) ? rule.acceptEnv : undefined,
    sshUsers,
    sources,
    destinations: new Set(devicesOf(others, resolve, position)),
    toSelf,
    toOthers: others.length > 0,
    localparts: localpartDomains.length > 0 ? localpartsOf(inventory.users, localpartDomains) : undefined,
    owners,
    ownSources,
  }
}

function mapLogins(users: readonly string[]): { sshUsers: Record<string, string>; localpartDomains: string[] } {
  const trimmed = users.filter((u): u is string => typeof u === 'string').map((u) => u.trim())
  const sshUsers: Record<string, string> = {}
  const localpartDomains: string[] = []
  if (trimmed.includes('autogroup:nonroot')) sshUsers['*'] = '='
  sshUsers['root'] = trimmed.includes('root') ? 'root' : ''
  for (const login of trimmed) {
    if (login === 'root' || login === 'autogroup:nonroot') continue
    const domain = localpartDomain(login)
    if (domain !== undefined) localpartDomains.push(domain)
    else sshUsers[login] = login
  }
  return { sshUsers, localpartDomains }
}

/** `localpart:*@example.com` → `example.com`; anything else (`localpart:foo`, `localpart:*@`) is a literal login */
export function localpartDomain(login: string): string | undefined {
  return /^localpart:\*@([^@*]+)$/.exec(login)?.[1]
}

function localpartsOf(users: readonly InventoryUser[], domains: readonly string[]): Map<InventoryUser, string> {
  const wanted = new Set(domains.map((d) => d.toLowerCase()))
  const out = new Map<InventoryUser, string>()
  for (const user of users) {
    const at = user.email.lastIndexOf('@')
    if (at > 0 && wanted.has(user.email.slice(at + 1).toLowerCase())) out.set(user, user.email.slice(0, at))
  }
  return out
}

function rulesForDevice(compiled: CompiledSshRules, device: Device): SshRuleOut[] {
  const rules = (compiled.byDevice.get(device) ?? []).flatMap((index) => ruleOnDevice(compiled.rules[index]!, device))
  // most restrictive first: a login both kinds of rule allow must pass the check
  return [...rules.filter((r) => isCheckAction(r.action)), ...rules.filter((r) => !isCheckAction(r.action))]
}

function ruleOnDevice(rule: CompiledSshRule, device: Device): SshRuleOut[] {
  const out: SshRuleOut[] = []
  const owner = device.user
  const ownedBy = (user: InventoryUser): readonly Device[] => rule.ownSources.get(user) ?? []
  if (rule.toSelf && owner !== undefined) {
    const own = ownedBy(owner)
    if (own.length > 0) out.push(...perUser(rule, principalsOf(own), owner))
  }
  if (rule.destinations.has(device)) {
    if (rule.localparts === undefined) {
      out.push(emit(rule, principalsOf(rule.sources), rule.sshUsers))
      return out
    }
    for (const user of rule.owners) out.push(...perUser(rule, principalsOf(ownedBy(user)), user))
    const tagged = rule.sources.filter((s) => s.user === undefined)
    if (tagged.length > 0) out.push(emit(rule, principalsOf(tagged), rule.sshUsers))
  } else if (rule.toOthers && rule.localparts !== undefined && rule.sources.includes(device)) {
    // with localpart logins a source also receives the rule on its own device (captures ssh-d2, ssh-e5)
    if (owner === undefined) out.push(emit(rule, principalsOf([device]), rule.sshUsers))
    else out.push(...perUser(rule, principalsOf(ownedBy(owner)), owner))
  }
  return out
}

function perUser(rule: CompiledSshRule, principals: SshPrincipal[], user: InventoryUser): SshRuleOut[] {
  const out = [emit(rule, principals, rule.sshUsers)]
  const local = rule.localparts?.get(user)
  if (local !== undefined) out.push(emit(rule, principals, { [local]: local }))
  return out
}

// kept beside the rules rather than in them: the rules are exactly what Tailscale sends
const origins = new WeakMap<SshRuleOut, number>()

export function sshRuleOrigin(rule: SshRuleOut): number | undefined {
  return origins.get(rule)
}

function emit(rule: CompiledSshRule, principals: SshPrincipal[], logins: Readonly<Record<string, string>>): SshRuleOut {
  // sorted keys, as Go marshals a map: the same policy gives the same bytes
  const sshUsers = Object.fromEntries(Object.entries(logins).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  const out: SshRuleOut =
    rule.acceptEnv === undefined ? { principals, sshUsers, action: rule.action } : { principals, sshUsers, action: rule.action, acceptEnv: rule.acceptEnv }
  origins.set(out, rule.origin)
  return out
}

function principalsOf(devices: readonly Device[]): SshPrincipal[] {
  const v4 = devices.flatMap((d) => d.ipv4.toCidrs())
  const v6 = devices.flatMap((d) => d.ipv6.toCidrs())
  return [...new Set([...v4, ...v6])].map((cidr) => ({ nodeIP: cidr.slice(0, cidr.indexOf('/')) }))
}
