import { isIP } from 'node:net'
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js'
import { Port } from '../model/port.js'
import type {
  AccessRule,
  AddressSelector,
  AnySelector,
  AutogroupName,
  AutogroupSelector,
  GroupSelector,
  HostSelector,
  RawSections,
  RawSelector,
  ReachExpectation,
  Selector,
  ServiceSelector,
  SshAccessRule,
  SshExpectation,
  TagSelector,
  UserSelector,
} from '../model/policy.js'
import { isSelector, selectorName } from '../model/policy.js'
import { declaredAt } from './declared-at.js'
import type { Email } from './define-inventory.js'

/** Autogroups that may be a rule's source (kb/1337 "Autogroups"). */
export type SourceAutogroup = Exclude<AutogroupName, 'self' | 'internet'>
/** Autogroups that may be a rule's destination. */
export type DestinationAutogroup = Exclude<AutogroupName, 'shared' | 'danger-all'>

export type Source<T extends string, G extends string, H extends string> =
  | TagSelector<T>
  | GroupSelector<G>
  | HostSelector<H>
  | UserSelector
  | AddressSelector
  | AutogroupSelector<SourceAutogroup>
  | AnySelector
  | RawSelector

export type Destination<T extends string, G extends string, H extends string, S extends string> =
  | TagSelector<T>
  | GroupSelector<G>
  | HostSelector<H>
  | ServiceSelector<S>
  | UserSelector
  | AddressSelector
  | AutogroupSelector<DestinationAutogroup>
  | AnySelector
  | RawSelector

/** Who a Tailscale test runs as: one identity (kb/1337 "Tests"). */
export type TestSource<T extends string, G extends string, H extends string> =
  | TagSelector<T>
  | GroupSelector<G>
  | HostSelector<H>
  | UserSelector
  | AddressSelector
  | RawSelector

/** What a Tailscale test connects to: a specific entity, never `*` or a CIDR. */
export type TestDestination<T extends string, G extends string, H extends string, S extends string> =
  | TagSelector<T>
  | GroupSelector<G>
  | HostSelector<H>
  | ServiceSelector<S>
  | UserSelector
  | AddressSelector
  | RawSelector

export type SshSource<T extends string, G extends string> =
  | TagSelector<T>
  | GroupSelector<G>
  | UserSelector
  | AutogroupSelector<'member' | 'tagged'>
  | RawSelector

export type SshDestination<T extends string> =
  | TagSelector<T>
  | UserSelector
  | AutogroupSelector<'self' | 'tagged' | 'member'>
  | RawSelector

/** A grant as the DSL returns it: data, plus modifiers that return a new rule. */
export interface AccessRuleStatement<T extends string> extends AccessRule {
  /** Only through these routers (grant `via`): exit nodes, subnet routers, app connectors. */
  via(...routers: readonly TagSelector<T>[]): AccessRuleStatement<T>
  /** Only from devices meeting these postures (grant `srcPosture`), e.g. `posture:latestMac`. */
  when(...postures: readonly `posture:${string}`[]): AccessRuleStatement<T>
  /** Why this access exists; shown next to the rule in the compiled file. */
  because(reason: string): AccessRuleStatement<T>
}

export interface SshRuleStatement extends SshAccessRule {
  /** Ask the user to re-authenticate (`check` mode); `period` like `12h` (Tailscale's default) or `always`. */
  check(period?: string): SshRuleStatement
  /** Environment variables the client may send (`acceptEnv`), `*` and `?` globs allowed. */
  acceptEnv(...names: readonly string[]): SshRuleStatement
  because(reason: string): SshRuleStatement
}

export interface AllowBuilder<T extends string, G extends string, H extends string, S extends string> {
  /** To services, on the ports each service declares. */
  to(destination: ServiceSelector<S> | readonly ServiceSelector<S>[]): AccessRuleStatement<T>
  /** To anything, on the ports given (`Port.any()` for all traffic). */
  to(
    destination: Destination<T, G, H, S> | readonly Destination<T, G, H, S>[],
    port: Port,
    ...more: readonly Port[]
  ): AccessRuleStatement<T>
}

export interface SshBuilder<T extends string> {
  to(...destinations: readonly SshDestination<T>[]): {
    /** Login names on the destination: `root`, `ubuntu`, `autogroup:nonroot`, `localpart:*@example.com`. */
    as(user: string, ...more: readonly string[]): SshRuleStatement
  }
}

export interface ExpectBuilder<T extends string, G extends string, H extends string, S extends string> {
  /** Must reach a service on each of its ports. */
  canReach(destination: ServiceSelector<S>): ReachExpectation
  /** Must reach the destination on each port given; a range is checked at its first and last port (tests take single ports). */
  canReach(destination: TestDestination<T, G, H, S>, port: Port, ...more: readonly Port[]): ReachExpectation
  /**
   * Must not reach: on the ports given, else a service's own ports, else on any port. "Any port" is
   * checked exactly: at the first port of every range the policy opens (access is a union of ranges).
   */
  cannotReach(destination: TestDestination<T, G, H, S>, ...ports: readonly Port[]): ReachExpectation
  /** May SSH in as these users without re-authenticating. */
  canSsh(destination: TestDestination<T, G, H, never>, user: string, ...more: readonly string[]): SshExpectation
  /** May SSH in as these users only after a check (re-authentication). */
  canSshAfterCheck(destination: TestDestination<T, G, H, never>, user: string, ...more: readonly string[]): SshExpectation
  /** May not SSH in as these users. */
  cannotSsh(destination: TestDestination<T, G, H, never>, user: string, ...more: readonly string[]): SshExpectation
}

export interface Autogroups {
  readonly member: AutogroupSelector<'member'>
  readonly tagged: AutogroupSelector<'tagged'>
  readonly self: AutogroupSelector<'self'>
  readonly internet: AutogroupSelector<'internet'>
  readonly shared: AutogroupSelector<'shared'>
  readonly dangerAll: AutogroupSelector<'danger-all'>
  readonly owner: AutogroupSelector<'owner'>
  readonly admin: AutogroupSelector<'admin'>
  readonly itAdmin: AutogroupSelector<'it-admin'>
  readonly networkAdmin: AutogroupSelector<'network-admin'>
  readonly billingAdmin: AutogroupSelector<'billing-admin'>
  readonly auditor: AutogroupSelector<'auditor'>
}

/**
 * The `p` a policy body receives: the declared names (`p.tag.frontend`, `p.service.api`) and the
 * verbs (`allow`, `ssh`, `expect`). Only declared names exist on it, so a typo does not compile.
 */
export interface PolicyScope<T extends string, G extends string, H extends string, S extends string> {
  readonly tag: { readonly [K in T]: TagSelector<K> }
  readonly group: { readonly [K in G]: GroupSelector<K> }
  readonly host: { readonly [K in H]: HostSelector<K> }
  readonly service: { readonly [K in S]: ServiceSelector<K> }
  readonly autogroup: Autogroups
  /** `*`: every device and approved subnet (as a source), or anything (as a destination) */
  readonly any: AnySelector
  /** One person, by login. */
  user(email: Email): UserSelector
  /** A Tailscale IP, a subnet IP or a CIDR. */
  address(ipOrCidr: string): AddressSelector
  /** A Tailscale selector the DSL does not model yet, passed through as written: `ipset:prod`. */
  raw(selector: string): RawSelector
  /** Tailscale policy sections the DSL does not model yet, merged into the compiled file as written. */
  raw(sections: Readonly<Record<string, unknown>>): RawSections
  /** `p.allow(sources).to(destination, ports)`: a grant. */
  allow(source: Source<T, G, H>, ...more: readonly Source<T, G, H>[]): AllowBuilder<T, G, H, S>
  /** `p.ssh(sources).to(destinations).as(users)`: a Tailscale SSH rule (accept; `.check()` for check mode). */
  ssh(source: SshSource<T, G>, ...more: readonly SshSource<T, G>[]): SshBuilder<T>
  /** `p.expect(source).canReach(...)`: a test Tailscale re-runs whenever the policy changes. */
  expect(source: TestSource<T, G, H>): ExpectBuilder<T, G, H, S>
}

/** The names each kind of declaration introduced, in declaration order. */
export interface DeclaredNames {
  readonly tags: readonly string[]
  readonly groups: readonly string[]
  readonly hosts: readonly string[]
  readonly services: readonly string[]
}

/** Receives what the DSL found wrong; the policy carries it to compile. */
export type Report = (diagnostic: Diagnostic) => void

const autogroupKeys: Readonly<Record<keyof Autogroups, AutogroupName>> = {
  member: 'member',
  tagged: 'tagged',
  self: 'self',
  internet: 'internet',
  shared: 'shared',
  dangerAll: 'danger-all',
  owner: 'owner',
  admin: 'admin',
  itAdmin: 'it-admin',
  networkAdmin: 'network-admin',
  billingAdmin: 'billing-admin',
  auditor: 'auditor',
}

// names tooling probes on any object (vitest, util.inspect, promises); never policy names
const probes = new Set(['then', 'toJSON', 'constructor', 'asymmetricMatch', 'nodeType', 'tagName', 'prototype'])

/**
 * Builds `p`. Unknown names are not refused here: `p.tag.frontnd` yields a selector that the
 * compiler reports with "did you mean", so JavaScript callers get the same help TypeScript gives.
 */
export function createScope(report: Report, declared: DeclaredNames): PolicyScope<string, string, string, string> {
  // declared names are real properties (so `Object.values(p.tag)` lists them); others are made on access
  const names = <K extends 'tag' | 'group' | 'host' | 'service'>(kind: K, list: readonly string[]) =>
    new Proxy(Object.fromEntries(list.map((name) => [name, { kind, name }])), {
      get: (target, key) => {
        if (typeof key !== 'string') return undefined
        if (Object.hasOwn(target, key)) return target[key]
        return probes.has(key) || key.startsWith('$$') ? undefined : { kind, name: key }
      },
    })
  const autogroup = Object.fromEntries(
    Object.entries(autogroupKeys).map(([key, name]) => [key, { kind: 'autogroup', name }]),
  ) as unknown as Autogroups
  const any: AnySelector = { kind: 'any' }

  function raw(selector: string): RawSelector
  function raw(sections: Readonly<Record<string, unknown>>): RawSections
  function raw(value: string | Readonly<Record<string, unknown>>): RawSelector | RawSections {
    const at = declaredAt()
    if (typeof value === 'string') return { kind: 'raw', selector: value }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      report(misuse(at, `p.raw() takes a selector string or an object of policy sections, got ${describe(value)}`))
      return withAt({ kind: 'raw', sections: {} }, at)
    }
    return withAt({ kind: 'raw', sections: value }, at)
  }

  return {
    tag: names('tag', declared.tags),
    group: names('group', declared.groups),
    host: names('host', declared.hosts),
    service: names('service', declared.services),
    autogroup,
    any,
    user(email) {
      if (typeof email !== 'string' || !email.includes('@')) {
        report(misuse(declaredAt(), `user ${describe(email)} is not a login; users are named by email, e.g. \`alice@example.com\``))
      }
      return { kind: 'user', email: String(email) }
    },
    address(ipOrCidr) {
      if (!isAddress(ipOrCidr)) {
        report(misuse(declaredAt(), `address ${describe(ipOrCidr)} is not an IP address or CIDR`, 'write e.g. `100.64.0.1` or `10.0.0.0/8`'))
      }
      return { kind: 'address', address: String(ipOrCidr) }
    },
    raw,
    allow(...sources) {
      const at = declaredAt()
      checkSelectors(sources, 'p.allow()', at, report)
      return {
        to(destination: Selector | readonly Selector[], ...ports: readonly Port[]) {
          const destinations = Array.isArray(destination) ? destination : [destination as Selector]
          checkSelectors(destinations, '.to()', at, report)
          checkPorts(ports, at, report)
          if (ports.length === 0) {
            const portless = destinations.filter((d) => d?.kind !== 'service')
            if (portless.length > 0) {
              report({
                code: 'missing-ports',
                severity: 'error',
                message: `\`.to(${portless.map(nameOf).join(', ')})\` needs ports: only services carry their own`,
                ...atField(at),
                hint: 'add ports, e.g. `.to(p.tag.backend, Port.tcp(8080))`, or `Port.any()` for all traffic',
              })
            }
          }
          return accessRule({
            kind: 'access',
            sources: [...sources],
            destinations: [...destinations],
            ports: [...ports],
            routers: [],
            postures: [],
            ...atField(at),
          })
        },
      } as AllowBuilder<string, string, string, string>
    },
    ssh(...sources) {
      const at = declaredAt()
      checkSelectors(sources, 'p.ssh()', at, report)
      return {
        to(...destinations) {
          checkSelectors(destinations, '.to()', at, report)
          return {
            as(...users) {
              checkSshUsers(users, at, report)
              return sshRule({
                kind: 'ssh',
                action: 'accept',
                sources: [...sources],
                destinations: [...destinations],
                users: users.map(String),
                acceptedEnv: [],
                ...atField(at),
              })
            },
          }
        },
      }
    },
    expect(source) {
      const at = declaredAt()
      checkSelectors([source], 'p.expect()', at, report)
      const reach = (allowed: boolean, destination: Selector, ports: readonly Port[]): ReachExpectation => {
        checkSelectors([destination], allowed ? '.canReach()' : '.cannotReach()', at, report)
        checkPorts(ports, at, report)
        if (allowed && ports.length === 0 && destination?.kind !== 'service') {
          report({
            code: 'missing-ports',
            severity: 'error',
            message: `\`.canReach(${nameOf(destination)})\` needs ports: only services carry their own`,
            ...atField(at),
            hint: 'add the ports to check, e.g. `.canReach(p.tag.backend, Port.tcp(8080))`',
          })
        }
        return { kind: 'reach', allowed, source, destination, ports: [...ports], ...atField(at) }
      }
      const ssh = (outcome: SshExpectation['outcome'], destination: Selector, users: readonly string[]): SshExpectation => {
        checkSelectors([destination], 'ssh expectation', at, report)
        checkSshUsers(users, at, report)
        return { kind: 'ssh', outcome, source, destination, users: users.map(String), ...atField(at) }
      }
      return {
        canReach: (destination: Selector, ...ports: readonly Port[]) => reach(true, destination, ports),
        cannotReach: (destination: Selector, ...ports: readonly Port[]) => reach(false, destination, ports),
        canSsh: (destination: Selector, ...users: readonly string[]) => ssh('accept', destination, users),
        canSshAfterCheck: (destination: Selector, ...users: readonly string[]) => ssh('check', destination, users),
        cannotSsh: (destination: Selector, ...users: readonly string[]) => ssh('deny', destination, users),
      } as ExpectBuilder<string, string, string, string>
    },
  }
}

function accessRule(rule: AccessRule): AccessRuleStatement<string> {
  return Object.defineProperties(rule, {
    via: { value: (...routers: readonly TagSelector[]) => accessRule({ ...rule, routers: [...rule.routers, ...routers.map((r) => String(r?.name))] }) },
    when: { value: (...postures: readonly string[]) => accessRule({ ...rule, postures: [...rule.postures, ...postures] }) },
    because: { value: (reason: string) => accessRule({ ...rule, reason: String(reason) }) },
  }) as AccessRuleStatement<string>
}

function sshRule(rule: SshAccessRule): SshRuleStatement {
  return Object.defineProperties(rule, {
    check: {
      value: (period?: string) => sshRule({ ...rule, action: 'check', ...(period === undefined ? {} : { checkPeriod: String(period) }) }),
    },
    acceptEnv: { value: (...names: readonly string[]) => sshRule({ ...rule, acceptedEnv: [...rule.acceptedEnv, ...names] }) },
    because: { value: (reason: string) => sshRule({ ...rule, reason: String(reason) }) },
  }) as SshRuleStatement
}

function checkSelectors(values: readonly unknown[], where: string, at: SourceLocation | undefined, report: Report): void {
  if (values.length === 0) report(misuse(at, `${where} needs at least one selector`))
  for (const value of values) {
    if (isSelector(value)) continue
    const text = typeof value === 'string' ? value : undefined
    report(
      misuse(
        at,
        `${where} takes tags, groups, users, hosts, addresses, autogroups or services from \`p\`, got ${describe(value)}`,
        text === undefined ? 'name a declared thing, e.g. `p.tag.frontend`' : `use \`p.${suggestAccessor(text)}\`, or \`p.raw(${JSON.stringify(text)})\` for a selector the DSL does not model`,
      ),
    )
  }
}

function suggestAccessor(text: string): string {
  const [prefix, ...rest] = text.split(':')
  const name = rest.join(':')
  if ((prefix === 'tag' || prefix === 'group') && name) return `${prefix}.${name}`
  if (text.includes('@')) return `user(${JSON.stringify(text)})`
  return `host.${text}`
}

function checkPorts(ports: readonly unknown[], at: SourceLocation | undefined, report: Report): void {
  for (const port of ports) {
    if (!Port.isPort(port)) {
      report({
        code: 'invalid-port',
        severity: 'error',
        message: `expected a port such as \`Port.tcp(8080)\`, got ${describe(port)}`,
        ...atField(at),
        hint: 'ports are made with Port.tcp(n), Port.udp(n), Port.range(proto, a, b), Port.any()',
      })
    }
  }
}

function checkSshUsers(users: readonly unknown[], at: SourceLocation | undefined, report: Report): void {
  if (users.length === 0) report(misuse(at, 'users must be specified', 'e.g. `.as("root")` or `.as("autogroup:nonroot")`'))
  for (const user of users) {
    if (typeof user !== 'string' || user.trim() === '' || user === '*') {
      report(misuse(at, `user ${describe(user)} is not valid`, 'name a login such as `root`, or `autogroup:nonroot` for any user but root'))
    }
  }
}

function misuse(at: SourceLocation | undefined, message: string, hint?: string): Diagnostic {
  return { code: 'invalid-dsl-call', severity: 'error', message, ...atField(at), ...(hint === undefined ? {} : { hint }) }
}

export function atField(at: SourceLocation | undefined): { at?: SourceLocation } {
  return at === undefined ? {} : { at }
}

function withAt<R extends object>(value: R, at: SourceLocation | undefined): R & { at?: SourceLocation } {
  return { ...value, ...atField(at) }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `\`${JSON.stringify(value)}\``
  if (value === undefined || value === null) return `\`${String(value)}\``
  if (typeof value === 'object') return 'an object that is not one of them'
  return `\`${String(value)}\``
}

function nameOf(selector: Selector | undefined): string {
  return isSelector(selector) ? selectorName(selector) : String(selector)
}

export function isAddress(text: unknown): boolean {
  if (typeof text !== 'string') return false
  const [ip, bits, extra] = text.split('/')
  if (extra !== undefined || ip === undefined) return false
  const version = isIP(ip)
  if (version === 0) return false
  if (bits === undefined) return true
  if (!/^\d{1,3}$/.test(bits)) return false
  return Number(bits) <= (version === 4 ? 32 : 128)
}
