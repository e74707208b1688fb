import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { checkPolicy } from '../../src/analyze/check.js'
import { generatePolicy, type PolicySize } from '../../src/analyze/generate-policy.js'
import { runTests } from '../../src/analyze/run-tests.js'
import { synthesizeInventory } from '../../src/analyze/synthetic-inventory.js'
import { renderHujson } from '../../src/compile/render-hujson.js'
import { renderJson } from '../../src/compile/render-json.js'
import type { PolicyTest, TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { readHujson } from '../../src/io/read-hujson.js'

/** Small enough to check hundreds of times, big enough that rules overlap. */
const small: PolicySize = { tags: 8, groups: 3, users: 10, hosts: 2, acls: 6, grants: 6, sshRules: 3, tests: 20, sshTests: 4 }
const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 })

describe('properties of reading and writing |', () => {
  test('HuJSON read → canonical write → read gives the same policy, and writing again the same bytes', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const policy = generatePolicy(small, s)
        for (const render of [renderHujson, renderJson]) {
          const written = render({ policy })
          const read = readHujson(written, 'policy.hujson')
          expect(read.diagnostics).toEqual([])
          expect(read.value).toEqual(policy)
          expect(render({ policy: read.value as TailnetPolicy })).toBe(written)
        }
      }),
      { numRuns: 60, seed: 21 },
    )
  })
})

describe('properties of access |', () => {
  test('adding a rule never removes a flow: every probe accepted before is accepted after', () => {
    fc.assert(
      fc.property(seed, seed, (s, other) => {
        // GIVEN a policy, probes from each of its tags to each tag on a few ports, and a rule from another policy over the same names
        const policy = generatePolicy(small, s)
        const tags = Object.keys(policy.tagOwners ?? {})
        const ports = [22, 443, 5000, 8080]
        const probes: PolicyTest[] = tags.map((src) => ({ src, accept: tags.flatMap((dst) => ports.map((p) => `${dst}:${p}`)) }))
        const extra = generatePolicy(small, other).grants?.[0]
        if (!extra) return
        const before: TailnetPolicy = { ...policy, tests: probes, sshTests: [] }
        const after: TailnetPolicy = { ...before, grants: [...(policy.grants ?? []), extra] }
        const inventory = synthesizeInventory(before)
        // WHEN
        const accepted = (p: TailnetPolicy): Set<string> => new Set(runTests(p, inventory).filter((r) => r.got === 'Accept' || (r.passed && r.want === 'Accept')).map((r) => r.path.join('/')))
        const was = accepted(before)
        const is = accepted(after)
        // THEN
        for (const probe of was) expect(is.has(probe), probe).toBe(true)
      }),
      { numRuns: 40, seed: 22 },
    )
  })
})

describe('properties of the checker on damaged input |', () => {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('"', ',', ':', '[', ']', '{', '}', '/*', '//', '\\', '\u0000', 'null', '1e999', '"tag:"', '"*:*"', '"x@y"', '-1', '"group:a"') }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  )

  test('random edits of a valid policy file never crash check: it answers ok or with diagnostics', () => {
    fc.assert(
      fc.property(seed, fc.array(mutation, { minLength: 1, maxLength: 4 }), (s, edits) => {
        // GIVEN
        let text = renderHujson({ policy: generatePolicy(small, s) })
        for (const edit of edits) {
          const at = edit.at % (text.length + 1)
          if (edit.kind === 'delete') text = text.slice(0, at) + text.slice(at + edit.length)
          else if (edit.kind === 'insert') text = text.slice(0, at) + edit.text + text.slice(at)
          else text = text.slice(0, at) + text.slice(at, at + edit.length) + text.slice(at)
        }
        // WHEN
        const read = readHujson(text, 'damaged.hujson')
        const report = read.diagnostics.length > 0 ? undefined : checkPolicy(read.value)
        // THEN
        if (report === undefined) {
          for (const d of read.diagnostics) expect(d.at).toBeDefined()
          return
        }
        expect(Array.isArray(report.diagnostics)).toBe(true)
        if (!report.ok) expect(report.diagnostics.some((d) => d.severity === 'error')).toBe(true)
        for (const d of report.diagnostics.filter((x) => x.severity === 'error')) expect(d.path !== undefined || d.at !== undefined).toBe(true)
      }),
      { numRuns: 300, seed: 23 },
    )
  })

  test('random values dropped anywhere into a valid policy never crash check', () => {
    fc.assert(
      fc.property(seed, fc.nat(), fc.jsonValue({ maxDepth: 3 }), (s, pick, value) => {
        // GIVEN a valid policy with one node, chosen anywhere in the tree, replaced
        const policy = JSON.parse(JSON.stringify(generatePolicy(small, s))) as Record<string, unknown>
        const slots: [Record<string, unknown> | unknown[], string | number][] = []
        const walk = (node: unknown): void => {
          if (Array.isArray(node)) node.forEach((child, i) => (slots.push([node, i]), walk(child)))
          else if (node !== null && typeof node === 'object') for (const [key, child] of Object.entries(node)) slots.push([node as Record<string, unknown>, key]), walk(child)
        }
        walk(policy)
        const [container, key] = slots[pick % slots.length]!
        ;(container as Record<string | number, unknown>)[key] = value
        // WHEN
        const report = checkPolicy(policy)
        // THEN
        expect(typeof report.ok).toBe('boolean')
        if (!report.ok) expect(report.diagnostics.some((d) => d.severity === 'error')).toBe(true)
      }),
      { numRuns: 300, seed: 24 },
    )
  })
})
