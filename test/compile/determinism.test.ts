import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { compilePolicy } from '../../src/compile/compile.js'
import { renderHujson } from '../../src/compile/render-hujson.js'
import { renderJson } from '../../src/compile/render-json.js'
import { definePolicy } from '../../src/dsl/define-policy.js'
import type { PolicyScope } from '../../src/dsl/scope.js'
import { Port } from '../../src/model/port.js'
import type { Expectation, Rule } from '../../src/model/policy.js'

const tags = ['web', 'api', 'db', 'ci'] as const
const groups = { eng: ['alice@example.com', 'bob@example.com'], ops: ['carol@example.com'] } as const
const ports = [Port.tcp(80), Port.tcp(443), Port.udp(53), Port.range('tcp', 8000, 8099), Port.any(), Port.icmp()]

type P = PolicyScope<(typeof tags)[number], keyof typeof groups, 'nas', 'api'>
type Make<X> = (p: P) => X

const ruleArb: fc.Arbitrary<Make<Rule>> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...tags), fc.constantFrom(...tags), fc.constantFrom(...ports), fc.boolean())
    .map(([src, dst, port, group]) => (p: P) => p.allow(group ? p.group.eng : p.tag[src]).to(p.tag[dst], port)),
  fc.constantFrom(...tags).map((src) => (p: P) => p.allow(p.tag[src]).to(p.service.api)),
  fc.constantFrom(...tags).map((src) => (p: P) => p.allow(p.tag[src], p.group.ops).to(p.host.nas, Port.SSH)),
  fc.constantFrom(...tags).map((dst) => (p: P) => p.ssh(p.group.ops).to(p.tag[dst]).as('root')),
  fc.constantFrom('10.0.0.0/8', '10.1.0.0/16').map((cidr) => (p: P) => p.raw({ grants: [{ src: ['group:ops'], dst: [cidr], ip: ['*'] }] })),
)

const testArb: fc.Arbitrary<Make<Expectation>> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...tags), fc.constantFrom(...tags), fc.boolean())
    .map(([src, dst, can]) => (p: P) => (can ? p.expect(p.tag[src]).canReach(p.tag[dst], Port.tcp(443)) : p.expect(p.tag[src]).cannotReach(p.tag[dst]))),
  fc.constantFrom(...tags).map((src) => (p: P) => p.expect(p.tag[src]).canReach(p.service.api)),
  fc.constantFrom(...tags).map((dst) => (p: P) => p.expect(p.group.ops).cannotSsh(p.tag[dst], 'root')),
)

/** A policy and the same policy with every declaration, rule and test in another order. */
const permutedPair = fc
  .record({ rules: fc.array(ruleArb, { maxLength: 10 }), tests: fc.array(testArb, { maxLength: 8 }) })
  .chain((spec) =>
    fc.record({
      spec: fc.constant(spec),
      rules: fc.shuffledSubarray(spec.rules, { minLength: spec.rules.length }),
      tests: fc.shuffledSubarray(spec.tests, { minLength: spec.tests.length }),
      tags: fc.shuffledSubarray([...tags], { minLength: tags.length }),
      reversedGroups: fc.boolean(),
    }),
  )

function build(order: readonly string[], reversedGroups: boolean, rules: readonly Make<Rule>[], tests: readonly Make<Expectation>[]) {
  const tagOwners = Object.fromEntries(order.map((t) => [t, ['group:eng']])) as Record<(typeof tags)[number], ['group:eng']>
  const groupEntries = Object.entries(groups)
  const declaredGroups = Object.fromEntries(reversedGroups ? groupEntries.reverse() : groupEntries) as typeof groups
  return definePolicy(
    { tags: tagOwners, groups: declaredGroups, hosts: { nas: '10.0.0.9' }, services: { api: { tag: 'api', ports: [Port.tcp(8080), Port.HTTPS] } } },
    (p) => ({ rules: rules.map((make) => make(p)), tests: tests.map((make) => make(p)) }),
  )
}

describe('determinism |', () => {
  test('permuting declarations, rules and tests gives the same bytes', () => {
    fc.assert(
      fc.property(permutedPair, ({ spec, rules, tests, tags: order, reversedGroups }) => {
        // GIVEN
        const original = compilePolicy(build(tags, false, spec.rules, spec.tests))
        const permuted = compilePolicy(build(order, reversedGroups, rules, tests))
        // THEN
        expect(permuted.diagnostics).toEqual([])
        expect(renderHujson(permuted)).toBe(renderHujson(original))
        expect(renderJson(permuted)).toBe(renderJson(original))
      }),
      { numRuns: 200 },
    )
  })

  test('compiling twice gives the same bytes', () => {
    fc.assert(
      fc.property(permutedPair, ({ spec }) => {
        // GIVEN
        const policy = build(tags, false, spec.rules, spec.tests)
        // THEN
        expect(renderHujson(compilePolicy(policy))).toBe(renderHujson(compilePolicy(policy)))
      }),
      { numRuns: 50 },
    )
  })
})
