import type { Diagnostic, SourceLocation } from './diagnostic.js'
import type { Port } from './port.js'

/**
 * The policy as the DSL builds it: declarations (the nouns), rules (the verbs) and expectations,
 * each remembering the `policy/*.ts` call that made it. Readonly data; `compile/` turns it into
 * Tailscale's wire format.
 */
export interface Policy {
  readonly kind: 'tailor-policy'
  readonly tags: readonly TagDeclaration[]
  readonly groups: readonly GroupDeclaration[]
  readonly hosts: readonly HostDeclaration[]
  readonly services: readonly ServiceDeclaration[]
  readonly rules: readonly Rule[]
  readonly expectations: readonly Expectation[]
  /** what the DSL found wrong while the policy was written; compile adds its own */
  readonly diagnostics: readonly Diagnostic[]
  /** where `definePolicy` was called */
  readonly at?: SourceLocation
}

export interface TagDeclaration {
  readonly name: string
  /** `tagOwners` entries: `group:x`, emails, `autogroup:x`, `tag:x`; empty means admins only */
  readonly owners: readonly string[]
  readonly at?: SourceLocation
}

export interface GroupDeclaration {
  readonly name: string
  readonly members: readonly string[]
  readonly at?: SourceLocation
}

export interface HostDeclaration {
  readonly name: string
  /** an IP address or CIDR */
  readonly address: string
  readonly at?: SourceLocation
}

export interface ServiceDeclaration {
  readonly name: string
  /** where the service runs: a tag, a host or an address */
  readonly on: TagSelector | HostSelector | AddressSelector
  readonly ports: readonly Port[]
  readonly at?: SourceLocation
}

/** The closed set of things a rule can name. `raw` carries a Tailscale selector the DSL does not model. */
export type Selector =
  | TagSelector
  | GroupSelector
  | UserSelector
  | HostSelector
  | AddressSelector
  | AutogroupSelector
  | AnySelector
  | ServiceSelector
  | RawSelector

export interface TagSelector<N extends string = string> {
  readonly kind: 'tag'
  readonly name: N
}
export interface GroupSelector<N extends string = string> {
  readonly kind: 'group'
  readonly name: N
}
export interface UserSelector {
  readonly kind: 'user'
  readonly email: string
}
export interface HostSelector<N extends string = string> {
  readonly kind: 'host'
  readonly name: N
}
export interface AddressSelector {
  readonly kind: 'address'
  /** an IP address or CIDR */
  readonly address: string
}
export interface AutogroupSelector<N extends AutogroupName = AutogroupName> {
  readonly kind: 'autogroup'
  readonly name: N
}
export interface AnySelector {
  readonly kind: 'any'
}
export interface ServiceSelector<N extends string = string> {
  readonly kind: 'service'
  readonly name: N
}
export interface RawSelector {
  readonly kind: 'raw'
  readonly selector: string
}

/** Tailscale's autogroups, without the `autogroup:` prefix (kb/1337 "Autogroups"). */
export type AutogroupName =
  | 'member'
  | 'tagged'
  | 'self'
  | 'internet'
  | 'shared'
  | 'danger-all'
  | 'owner'
  | 'admin'
  | 'it-admin'
  | 'network-admin'
  | 'billing-admin'
  | 'auditor'

export type Rule = AccessRule | SshAccessRule | RawSections

/** `p.allow(src).to(dst, ports)`: a grant. */
export interface AccessRule {
  readonly kind: 'access'
  readonly sources: readonly Selector[]
  readonly destinations: readonly Selector[]
  /** empty: each destination service's own ports */
  readonly ports: readonly Port[]
  /** routers the traffic must go through (grant `via`), tag names */
  readonly routers: readonly string[]
  /** posture names (grant `srcPosture`), e.g. `posture:latestMac` */
  readonly postures: readonly string[]
  /** the author's reason, shown in the compiled file's comment */
  readonly reason?: string
  readonly at?: SourceLocation
}

/** `p.ssh(src).to(dst).as(users)`: a Tailscale SSH rule. */
export interface SshAccessRule {
  readonly kind: 'ssh'
  readonly action: 'accept' | 'check'
  readonly sources: readonly Selector[]
  readonly destinations: readonly Selector[]
  /** login names, `autogroup:nonroot`, `localpart:*@domain` */
  readonly users: readonly string[]
  /** e.g. `12h` or `always`; only with `check` */
  readonly checkPeriod?: string
  readonly acceptedEnv: readonly string[]
  readonly reason?: string
  readonly at?: SourceLocation
}

/** Tailscale policy sections the DSL does not model, merged into the compiled file as written. */
export interface RawSections {
  readonly kind: 'raw'
  readonly sections: Readonly<Record<string, unknown>>
  readonly at?: SourceLocation
}

export type Expectation = ReachExpectation | SshExpectation

/** `p.expect(src).canReach(dst, port)` / `.cannotReach(...)`: becomes a `tests` entry. */
export interface ReachExpectation {
  readonly kind: 'reach'
  readonly allowed: boolean
  readonly source: Selector
  readonly destination: Selector
  /** empty: the service's ports for `canReach`; for `cannotReach`, any port */
  readonly ports: readonly Port[]
  readonly at?: SourceLocation
}

/** `p.expect(src).canSsh(dst, users)` and friends: becomes an `sshTests` entry. */
export interface SshExpectation {
  readonly kind: 'ssh'
  readonly outcome: 'accept' | 'check' | 'deny'
  readonly source: Selector
  readonly destination: Selector
  readonly users: readonly string[]
  readonly at?: SourceLocation
}

/** The stable DSL name of a selector (`tag.frontend`, `service.api`, `autogroup.member`), for messages and comments. */
export function selectorName(selector: Selector): string {
  switch (selector.kind) {
    case 'tag':
    case 'group':
    case 'host':
    case 'service':
      return `${selector.kind}.${selector.name}`
    case 'autogroup':
      return `autogroup.${selector.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}`
    case 'user':
      return selector.email
    case 'address':
      return selector.address
    case 'any':
      return 'any'
    case 'raw':
      return selector.selector
  }
}

const selectorKinds: ReadonlySet<string> = new Set(['tag', 'group', 'user', 'host', 'address', 'autogroup', 'any', 'service', 'raw'])

/** Whether a value is one of the DSL's selectors (JavaScript callers can pass anything). */
export function isSelector(value: unknown): value is Selector {
  return value !== null && typeof value === 'object' && selectorKinds.has((value as { kind?: unknown }).kind as string)
}
