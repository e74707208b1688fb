import type { SourceLocation } from '../model/diagnostic.js'
import type { Port } from '../model/port.js'
import { declaredAt } from './declared-at.js'

/** A login as Tailscale names users: `alice@example.com`, `alice@github`. */
export type Email = `${string}@${string}`

/** Autogroups Tailscale accepts as tag owners (kb/1337 "Tag owners"). */
export type OwnerAutogroup = 'member' | 'tagged' | 'owner' | 'admin' | 'it-admin' | 'network-admin' | 'billing-admin' | 'auditor'

/** Who may apply a tag, in Tailscale's words: `group:eng`, `alice@example.com`, `autogroup:admin`, `tag:ci`. */
export type TagOwner<T extends string, G extends string> = `tag:${T}` | `group:${G}` | Email | `autogroup:${OwnerAutogroup}`

/** Where a service runs (one tag, one declared host, or an address) and the ports it listens on. */
export type ServiceSpec<T extends string, H extends string> =
  | { readonly tag: T; readonly ports: readonly Port[] }
  | { readonly host: H; readonly ports: readonly Port[] }
  | { readonly address: string; readonly ports: readonly Port[] }

/**
 * The nouns of a tailnet, each declared once: tags with their owners (`[]` = admins only), groups of
 * people by email, hosts (name → IP or CIDR) and services. Every other position names them through
 * `NoInfer`, so a typo there is a compile error instead of a new name.
 */
export interface Declarations<T extends string, G extends string, H extends string, S extends string> {
  readonly tags?: { readonly [K in T]: readonly TagOwner<NoInfer<T>, NoInfer<G>>[] }
  readonly groups?: { readonly [K in G]: readonly Email[] }
  readonly hosts?: { readonly [K in H]: string }
  readonly services?: { readonly [K in S]: ServiceSpec<NoInfer<T>, NoInfer<H>> }
}

/** The widest declarations, for constraints. */
export type AnyDeclarations = Declarations<string, string, string, string>

export type TagsOf<D> = D extends { readonly tags?: infer R } ? keyof NonNullable<R> & string : never
export type GroupsOf<D> = D extends { readonly groups?: infer R } ? keyof NonNullable<R> & string : never
export type HostsOf<D> = D extends { readonly hosts?: infer R } ? keyof NonNullable<R> & string : never
export type ServicesOf<D> = D extends { readonly services?: infer R } ? keyof NonNullable<R> & string : never

/** One file's declarations and where they were written, kept so a clash can name both places. */
export interface DeclarationSite {
  readonly declarations: Readonly<Record<string, unknown>>
  readonly at: SourceLocation | undefined
}

export const declarationSites: unique symbol = Symbol.for('tailor.declarationSites')

/** Declarations made with {@link defineInventory} or {@link combine}: they remember their files. */
export type Inventory<T extends string, G extends string, H extends string, S extends string> = Declarations<T, G, H, S> & {
  readonly [declarationSites]: readonly DeclarationSite[]
}

/**
 * Declares a part of the tailnet's nouns in its own file (a team's tags, groups and services), to be
 * {@link combine}d with the others. Same shape as `definePolicy`'s first argument.
 */
export function defineInventory<
  const T extends string = never,
  const G extends string = never,
  const H extends string = never,
  const S extends string = never,
>(declarations: Declarations<T, G, H, S>): Inventory<T, G, H, S> {
  return { ...declarations, [declarationSites]: [{ declarations: declarations as Readonly<Record<string, unknown>>, at: declaredAt() }] }
}

/**
 * Joins inventories declared in several files. A name declared in two of them is reported with both
 * places when the policy is compiled (two owners for one tag, two addresses for one host).
 */
export function combine<const P extends readonly AnyDeclarations[]>(
  ...parts: P
): Inventory<TagsOf<P[number]>, GroupsOf<P[number]>, HostsOf<P[number]>, ServicesOf<P[number]>> {
  const at = declaredAt()
  const sites = parts.flatMap((part) => sitesOf(part, at))
  const merged: Record<string, Record<string, unknown>> = {}
  for (const site of sites) {
    for (const [section, entries] of Object.entries(site.declarations)) {
      if (entries !== null && typeof entries === 'object') merged[section] = { ...merged[section], ...entries }
    }
  }
  return { ...merged, [declarationSites]: sites } as unknown as Inventory<
    TagsOf<P[number]>,
    GroupsOf<P[number]>,
    HostsOf<P[number]>,
    ServicesOf<P[number]>
  >
}

/** The files a set of declarations came from; a plain object literal counts as written at `fallback`. */
export function sitesOf(declarations: unknown, fallback: SourceLocation | undefined): readonly DeclarationSite[] {
  if (declarations !== null && typeof declarations === 'object' && declarationSites in declarations) {
    return (declarations as { [declarationSites]: readonly DeclarationSite[] })[declarationSites]
  }
  return [{ declarations: (declarations ?? {}) as Readonly<Record<string, unknown>>, at: fallback }]
}
