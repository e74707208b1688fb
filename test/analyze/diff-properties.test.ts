import { existsSync, readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { AclRule, Grant, TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { diffPolicies, type PolicyChange } from '../../src/analyze/diff.js'
import { readHujson } from '../../src/io/read-hujson.js'

const users = ['alice@example.com', 'bob@example.com', 'carol@example.com']
const selectors = ['*', 'tag:web', 'tag:db', 'group:eng', 'group:ops', 'autogroup:member', 'db-host', '100.64.0.0/24', ...users]
const ports = ['*', '22', '80-90', '443', '5432']
const ips = ['*', '22', '80-90', 'tcp:443', 'udp:53', 'icmp:*', 'tcp:5432']

const someOf = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 })

const policy: fc.Arbitrary<TailnetPolicy> = fc.record({
  groups: fc.record({ 'group:eng': fc.uniqueArray(fc.constantFrom(...users)), 'group:ops': fc.uniqueArray(fc.constantFrom(...users)) }),
  hosts: fc.record({ 'db-host': fc.constantFrom('100.64.0.5', '100.64.0.6', '10.0.0.0/8') }),
  tagOwners: fc.record({ 'tag:web': someOf(['group:eng', 'alice@example.com']), 'tag:db': someOf(['group:ops', 'autogroup:admin']) }),
  grants: fc.array(fc.record({ src: someOf(selectors), dst: someOf(selectors), ip: someOf(ips) }), { maxLength: 4 }),
  acls: fc.array(
    fc.record({ action: fc.constant('accept'), src: someOf(selectors), dst: fc.array(fc.tuple(fc.constantFrom(...selectors), fc.constantFrom(...ports)).map(([s, p]) => `${s}:${p}`), { minLength: 1, maxLength: 3 }) }),
    { maxLength: 3 },
  ),
  ssh: fc.array(fc.record({ action: fc.constantFrom('accept', 'check'), src: someOf(['group:eng', 'alice@example.com', 'tag:web']), dst: someOf(['tag:db', 'autogroup:self']), users: someOf(['root', 'ubuntu', 'autogroup:nonroot']) }), { maxLength: 3 }),
  autoApprovers: fc.record({ exitNode: fc.uniqueArray(fc.constantFrom('tag:web', 'group:ops', 'bob@example.com')) }),
  tests: fc.array(fc.record({ src: fc.constantFrom(...users), accept: someOf(['tag:db:22', 'tag:web:443']) }), { maxLength: 2 }),
})

describe('diff properties', () => {
  test('a policy diffed with itself has no changes', () => {
    fc.assert(
      fc.property(policy, (p) => {
        expect(diffPolicies(p, p)).toStrictEqual({ broadened: [], narrowed: [], unchanged: [] })
      }),
    )
  })

  test('what a change broadens, the reverse change narrows, record for record', () => {
    fc.assert(
      fc.property(policy, policy, (a, b) => {
        const forward = diffPolicies(a, b)
        const backward = diffPolicies(b, a)
        expect(sorted(forward.broadened.map(mirror))).toStrictEqual(sorted(backward.narrowed))
        expect(sorted(forward.narrowed.map(mirror))).toStrictEqual(sorted(backward.broadened))
        expect(sorted(forward.unchanged.map(mirror))).toStrictEqual(sorted(backward.unchanged))
      }),
    )
  })

  test('adding a grant never narrows access (grants only add)', () => {
    fc.assert(
      fc.property(policy, fc.record({ src: someOf(selectors), dst: someOf(selectors), ip: someOf(ips) }), (p, grant) => {
        const diff = diffPolicies(p, { ...p, grants: [...(p.grants ?? []), grant] })
        expect(diff.narrowed).toStrictEqual([])
        expect(diff.unchanged).toStrictEqual([])
      }),
    )
  })

  test('shuffling rules and splitting multi-destination rules is no change at all', () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 1, max: 1_000 }), (p, seed) => {
        expect(diffPolicies(p, refactor(p, seed))).toStrictEqual({ broadened: [], narrowed: [], unchanged: [] })
      }),
    )
  })
})

const corpus = new URL('../../../shared/conformance/policies/', import.meta.url)

describe.skipIf(!existsSync(corpus))('diff on the public policy corpus (../shared, when present)', () => {
  test('a pure refactor of every readable corpus policy diffs empty', () => {
    let checked = 0
    for (const file of readdirSync(corpus).filter((f) => f.endsWith('.hujson')).sort()) {
      const document = readHujson(readFileSync(new URL(file, corpus), 'utf8'), file)
      if (document.value === null || typeof document.value !== 'object' || Array.isArray(document.value)) continue
      const original = document.value as TailnetPolicy
      const diff = diffPolicies(original, refactor(original, 7))
      expect({ file, broadened: diff.broadened, narrowed: diff.narrowed }).toStrictEqual({ file, broadened: [], narrowed: [] })
      checked++
    }
    expect(checked).toBeGreaterThan(100)
  })
})

/** Rules in another order, each multi-destination grant or ACL split into one rule per destination. */
function refactor(policy: TailnetPolicy, seed: number): TailnetPolicy {
  const grants: Grant[] = (policy.grants ?? []).flatMap((g) => (Array.isArray(g.dst) && g.dst.length > 1 ? g.dst.map((d) => ({ ...g, dst: [d] })) : [g]))
  const acls: AclRule[] = (policy.acls ?? []).flatMap((a) => {
    const key = a.dst !== undefined ? 'dst' : 'ports'
    const dst = a[key]
    return Array.isArray(dst) && dst.length > 1 ? dst.map((d) => ({ ...a, [key]: [d] })) : [a]
  })
  const result: Record<string, unknown> = { ...policy }
  if (policy.grants) result['grants'] = shuffle(grants, seed)
  if (policy.acls) result['acls'] = shuffle(acls, seed + 1)
  if (policy.ssh) result['ssh'] = shuffle([...policy.ssh], seed + 2)
  return result as TailnetPolicy
}

function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648)
  for (let i = items.length - 1; i > 0; i--) {
    const j = next() % (i + 1)
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}

function mirror(change: PolicyChange): PolicyChange {
  const direction = change.direction === 'broadened' ? 'narrowed' : change.direction === 'narrowed' ? 'broadened' : 'unchanged'
  switch (change.kind) {
    case 'flow':
    case 'app':
      return { ...change, direction, base: change.head, head: change.base } as PolicyChange
    case 'ssh':
      return { ...change, direction, base: change.head, head: change.base, before: change.after, after: change.before } as PolicyChange
    default: {
      const { base, head, ...rest } = change
      const swapped = change.change === 'renamed' ? { subject: change.item, item: change.subject } : {}
      return {
        ...rest,
        ...swapped,
        direction,
        change: change.change === 'added' ? 'removed' : change.change === 'removed' ? 'added' : 'renamed',
        ...(head ? { base: head } : {}),
        ...(base ? { head: base } : {}),
      } as PolicyChange
    }
  }
}

function sorted(changes: readonly PolicyChange[]): string[] {
  return changes.map((c) => JSON.stringify(c, Object.keys(c).sort())).sort()
}
