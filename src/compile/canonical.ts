/**
 * Tailscale's field order for each kind of object, so the same policy always prints the same bytes
 * and reads like Tailscale's own examples. Keys not listed follow in sorted order.
 */
const keyOrders: Readonly<Record<string, readonly string[]>> = {
  root: [
    'groups',
    'tagOwners',
    'hosts',
    'ipsets',
    'postures',
    'defaultSrcPosture',
    'grants',
    'acls',
    'ssh',
    'nodeAttrs',
    'autoApprovers',
    'tests',
    'sshTests',
  ],
  grants: ['src', 'dst', 'ip', 'app', 'via', 'srcPosture'],
  acls: ['action', 'src', 'users', 'proto', 'dst', 'ports', 'srcPosture'],
  ssh: ['action', 'src', 'dst', 'users', 'checkPeriod', 'acceptEnv', 'srcPosture', 'recorder', 'enforceRecorder'],
  nodeAttrs: ['target', 'attr', 'app', 'ipPool'],
  tests: ['src', 'user', 'proto', 'srcPostureAttrs', 'accept', 'allow', 'deny'],
  sshTests: ['src', 'dst', 'accept', 'check', 'deny', 'srcPostureAttrs'],
}

/** Sections whose entries are unordered sets in Tailscale's semantics (grants are a union), so sorting is safe. */
export const ruleSections: readonly string[] = ['grants', 'acls', 'ssh', 'nodeAttrs', 'tests', 'sshTests']

/** `obj` with its keys in the canonical order of `kind` (`root`, `grants`, ...). */
export function orderKeys<V>(obj: Readonly<Record<string, V>>, kind: string): Record<string, V> {
  const order = keyOrders[kind] ?? []
  const keys = Object.keys(obj)
  const known = order.filter((k) => keys.includes(k))
  const rest = keys.filter((k) => !order.includes(k)).sort(compareText)
  const out: Record<string, V> = {}
  for (const k of [...known, ...rest]) out[k] = obj[k]!
  return out
}

/** A record with its keys sorted (groups, tagOwners, hosts). */
export function sortRecord<V>(obj: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {}
  for (const k of Object.keys(obj).sort(compareText)) out[k] = obj[k]!
  return out
}

/** Sorted, without duplicates. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText)
}

/** Code-unit order, independent of locale, so every machine sorts alike. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A stable sort key for any JSON value: its JSON with object keys sorted. */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? sortRecord(v as Record<string, unknown>) : v,
  )
}
