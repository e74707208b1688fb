import type { Diagnostic, SourceLocation } from '../model/diagnostic.js'
import { Port } from '../model/port.js'
import type {
  Expectation,
  GroupDeclaration,
  HostDeclaration,
  Policy,
  Rule,
  ServiceDeclaration,
  TagDeclaration,
} from '../model/policy.js'
import { declaredAt } from './declared-at.js'
import {
  sitesOf,
  type Declarations,
  type DeclarationSite,
  type GroupsOf,
  type HostsOf,
  type ServicesOf,
  type TagsOf,
} from './define-inventory.js'
import { atField, createScope, type PolicyScope } from './scope.js'

/** What a policy body returns: rules (grants, SSH rules, raw sections) and expectations, nested lists allowed. */
export interface PolicyBody {
  readonly rules?: readonly (Rule | readonly Rule[])[]
  readonly tests?: readonly (Expectation | readonly Expectation[])[]
}

/**
 * The `p` of a policy built on these declarations, for rule sets written in their own file:
 * `export const paymentsAccess = (p: Scope<typeof inventory>) => [...]`. A tuple of several
 * declarations gives the scope of all of them together.
 */
export type Scope<D> = D extends readonly unknown[] ? ScopeOfUnion<D[number]> : ScopeOfUnion<D>
type ScopeOfUnion<D> = PolicyScope<TagsOf<D>, GroupsOf<D>, HostsOf<D>, ServicesOf<D>>

/**
 * Declares the tailnet's nouns once, then its rules and expectations through `p`, which knows
 * only the declared names:
 *
 * ```ts
 * export default definePolicy({
 *   tags: { frontend: ['group:web'], backend: ['group:web'] },
 *   groups: { web: ['alice@example.com'] },
 *   services: { api: { tag: 'backend', ports: [Port.tcp(8080)] } },
 * }, (p) => ({
 *   rules: [p.allow(p.tag.frontend).to(p.service.api)],
 *   tests: [p.expect(p.tag.frontend).canReach(p.service.api)],
 * }))
 * ```
 *
 * The first argument may also be inventories from other files joined with `combine(...)`.
 * Problems (clashes, unknown names, misuse from JavaScript) are collected, not thrown;
 * `compilePolicy` returns them as diagnostics with the `policy/*.ts` line that caused them.
 */
export function definePolicy<
  const T extends string = never,
  const G extends string = never,
  const H extends string = never,
  const S extends string = never,
>(declarations: Declarations<T, G, H, S>, body: (p: PolicyScope<T, G, H, S>) => PolicyBody): Policy {
  const at = declaredAt()
  const diagnostics: Diagnostic[] = []
  const report = (d: Diagnostic) => diagnostics.push(d)
  const declared = collectDeclarations(sitesOf(declarations, at), report)
  let result: PolicyBody | undefined
  try {
    const scope = createScope(report, {
      tags: declared.tags.map((t) => t.name),
      groups: declared.groups.map((g) => g.name),
      hosts: declared.hosts.map((h) => h.name),
      services: declared.services.map((s) => s.name),
    })
    result = body(scope as unknown as PolicyScope<T, G, H, S>)
  } catch (error) {
    // a JavaScript caller's mistake inside the body should still point at the policy, not crash the build
    report({
      code: 'policy-body-threw',
      severity: 'error',
      message: `the policy body threw: ${error instanceof Error ? error.message : String(error)}`,
      ...atField(at),
    })
  }
  if (result !== undefined && (result === null || typeof result !== 'object')) {
    report({
      code: 'invalid-dsl-call',
      severity: 'error',
      message: 'the policy body must return `{ rules, tests }`',
      ...atField(at),
    })
    result = undefined
  }
  return {
    kind: 'tailor-policy',
    ...declared,
    rules: flatten(result?.rules),
    expectations: flatten(result?.tests),
    diagnostics,
    ...atField(at),
  }
}

/** Whether a module's export is a policy made by {@link definePolicy} (for loaders). */
export function isPolicy(value: unknown): value is Policy {
  return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'tailor-policy'
}

function flatten<X>(entries: readonly (X | readonly X[])[] | undefined): readonly X[] {
  if (!Array.isArray(entries)) return []
  return entries.flatMap((entry) => (Array.isArray(entry) ? (entry as readonly X[]) : [entry as X]))
}

interface Declared {
  readonly tags: readonly TagDeclaration[]
  readonly groups: readonly GroupDeclaration[]
  readonly hosts: readonly HostDeclaration[]
  readonly services: readonly ServiceDeclaration[]
}

const sectionNoun = { tags: 'tag', groups: 'group', hosts: 'host', services: 'service' } as const

function collectDeclarations(sites: readonly DeclarationSite[], report: (d: Diagnostic) => void): Declared {
  const seen = new Map<string, SourceLocation | undefined>()
  const tags: TagDeclaration[] = []
  const groups: GroupDeclaration[] = []
  const hosts: HostDeclaration[] = []
  const services: ServiceDeclaration[] = []
  for (const site of sites) {
    for (const [section, entries] of Object.entries(site.declarations)) {
      if (!(section in sectionNoun)) {
        report({
          code: 'invalid-dsl-call',
          severity: 'error',
          message: `unknown declaration section \`${section}\``,
          ...atField(site.at),
          hint: 'declarations are `tags`, `groups`, `hosts` and `services`; use p.raw({...}) for other policy sections',
        })
        continue
      }
      if (entries === undefined) continue
      const noun = sectionNoun[section as keyof typeof sectionNoun]
      if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
        report({
          code: 'invalid-dsl-call',
          severity: 'error',
          message: `\`${section}\` must be an object of ${noun} names`,
          ...atField(site.at),
        })
        continue
      }
      for (const [name, value] of Object.entries(entries as Record<string, unknown>)) {
        const key = `${noun}\u0000${name}`
        if (seen.has(key)) {
          const first = seen.get(key)
          report({
            code: 'duplicate-declaration',
            severity: 'error',
            message: `${noun} \`${name}\` is declared twice: at ${where(first)} and at ${where(site.at)}${noun === 'tag' ? ' (two owners for one tag)' : ''}`,
            ...atField(site.at),
            hint: `declare each ${noun} in one file and use it from the others`,
          })
          continue
        }
        seen.set(key, site.at)
        const at = atField(site.at)
        switch (noun) {
          case 'tag':
            tags.push({ name, owners: stringList(value, `tag \`${name}\` owners`, site.at, report), ...at })
            break
          case 'group':
            groups.push({ name, members: stringList(value, `group \`${name}\` members`, site.at, report), ...at })
            break
          case 'host':
            hosts.push({ name, address: String(value), ...at })
            break
          case 'service': {
            const service = readService(name, value, site.at, report)
            if (service) services.push({ ...service, ...at })
            break
          }
        }
      }
    }
  }
  return { tags, groups, hosts, services }
}

function where(at: SourceLocation | undefined): string {
  return at === undefined ? 'an unknown place' : `${at.file}:${at.line}:${at.column}`
}

function stringList(value: unknown, what: string, at: SourceLocation | undefined, report: (d: Diagnostic) => void): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...(value as string[])]
  report({ code: 'invalid-dsl-call', severity: 'error', message: `${what} must be a list of strings`, ...atField(at) })
  return []
}

function readService(
  name: string,
  value: unknown,
  at: SourceLocation | undefined,
  report: (d: Diagnostic) => void,
): Omit<ServiceDeclaration, 'at'> | undefined {
  const spec = (value ?? {}) as { tag?: unknown; host?: unknown; address?: unknown; ports?: unknown }
  const targets = [
    spec.tag === undefined ? undefined : ({ kind: 'tag', name: String(spec.tag) } as const),
    spec.host === undefined ? undefined : ({ kind: 'host', name: String(spec.host) } as const),
    spec.address === undefined ? undefined : ({ kind: 'address', address: String(spec.address) } as const),
  ].filter((t) => t !== undefined)
  const ports = Array.isArray(spec.ports) ? spec.ports : []
  const target = targets[0]
  if (targets.length !== 1 || target === undefined) {
    report({
      code: 'invalid-dsl-call',
      severity: 'error',
      message: `service \`${name}\` must run on exactly one of \`tag\`, \`host\` or \`address\``,
      ...atField(at),
    })
    return undefined
  }
  if (ports.length === 0 || !ports.every((p) => Port.isPort(p))) {
    report({
      code: 'invalid-port',
      severity: 'error',
      message: `service \`${name}\` needs \`ports\`, a list such as \`[Port.tcp(8080)]\``,
      ...atField(at),
    })
    return undefined
  }
  return { name, on: target, ports: ports as Port[] }
}
