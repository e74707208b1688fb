import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { compilePolicy } from '../../src/compile/compile.js'
import { renderHujson } from '../../src/compile/render-hujson.js'
import { hasErrors } from '../../src/model/diagnostic.js'
import { definePolicy } from '../../src/dsl/define-policy.js'
import type { Policy } from '../../src/model/policy.js'
import { Port } from '../../src/model/port.js'

// the scope as a JavaScript caller sees it: nothing is checked before run time
type LooseScope = Record<string, (...args: unknown[]) => Record<string, (...args: unknown[]) => unknown>> & {
  tag: Record<string, unknown>
  service: Record<string, unknown>
}
const untypedDefinePolicy = definePolicy as unknown as (declarations: unknown, body: (p: LooseScope) => unknown) => Policy
const inventory = { tags: { web: [], api: [] }, services: { grpc: { tag: 'api', ports: [Port.tcp(9000)] } } }

function diagnosticsOf(body: (p: LooseScope) => unknown): string[] {
  return untypedDefinePolicy(inventory, body).diagnostics.map((d) => `${d.code}: ${d.message}${d.hint === undefined ? '' : ` → ${d.hint}`}`)
}

describe('scope | runtime checks for JavaScript callers', () => {
  test('a Tailscale string where a selector belongs says which accessor to use', () => {
    // THEN
    expect(diagnosticsOf((p) => ({ rules: [p['allow']!('tag:web').to!(p.service['grpc'])] }))).toEqual([
      'invalid-dsl-call: p.allow() takes tags, groups, users, hosts, addresses, autogroups or services from `p`, got `"tag:web"` → use `p.tag.web`, or `p.raw("tag:web")` for a selector the DSL does not model',
    ])
  })

  test('a destination without ports, other than a service, is refused with an example', () => {
    // THEN
    expect(diagnosticsOf((p) => ({ rules: [p['allow']!(p.tag['web']).to!(p.tag['api'])] }))).toEqual([
      'missing-ports: `.to(tag.api)` needs ports: only services carry their own → add ports, e.g. `.to(p.tag.backend, Port.tcp(8080))`, or `Port.any()` for all traffic',
    ])
  })

  test('ports must be Port values', () => {
    // THEN
    expect(diagnosticsOf((p) => ({ rules: [p['allow']!(p.tag['web']).to!(p.tag['api'], 'tcp:22')] }))).toEqual([
      'invalid-port: expected a port such as `Port.tcp(8080)`, got `"tcp:22"` → ports are made with Port.tcp(n), Port.udp(n), Port.range(proto, a, b), Port.any()',
    ])
  })

  test('users, addresses and SSH logins are checked', () => {
    // THEN
    expect(
      diagnosticsOf((p) => ({
        rules: [
          p['allow']!(p['user']!('alice')).to!(p['address']!('10.0.0.300'), Port.SSH),
          (p['ssh']!(p.tag['web']).to!(p.tag['api']) as { as: (...u: unknown[]) => unknown }).as('*'),
        ],
      })),
    ).toEqual([
      'invalid-dsl-call: user `"alice"` is not a login; users are named by email, e.g. `alice@example.com`',
      'invalid-dsl-call: address `"10.0.0.300"` is not an IP address or CIDR → write e.g. `100.64.0.1` or `10.0.0.0/8`',
      'invalid-dsl-call: user `"*"` is not valid → name a login such as `root`, or `autogroup:nonroot` for any user but root',
    ])
  })

  test('unknown names are not refused by the scope: the compiler reports them with "did you mean"', () => {
    // WHEN
    const policy = untypedDefinePolicy(inventory, (p) => ({ rules: [p['allow']!(p.tag['wbe']).to!(p.service['grpc'])] }))
    // THEN
    expect(policy.diagnostics).toEqual([])
    expect(policy.rules[0]).toMatchObject({ sources: [{ kind: 'tag', name: 'wbe' }] })
  })
})

describe('scope | anything a JavaScript caller passes', () => {
  test('never makes definePolicy or compilePolicy throw, and junk is always reported as an error', () => {
    // GIVEN calls of every verb with arbitrary arguments
    const call = fc.tuple(fc.constantFrom('allow', 'ssh', 'expect', 'raw', 'user', 'address'), fc.array(fc.anything(), { maxLength: 3 }), fc.constantFrom('to', 'canReach', 'cannotReach', 'canSsh', 'as'), fc.array(fc.anything(), { maxLength: 3 }))
    fc.assert(
      fc.property(fc.array(call, { maxLength: 4 }), (calls) => {
        // WHEN
        const policy = untypedDefinePolicy(inventory, (p) => {
          const made = calls.map(([verb, args, next, more]) => {
            const first = p[verb]!(...args) as Record<string, unknown> | undefined
            const follow = first?.[next]
            return typeof follow === 'function' ? (follow as (...a: unknown[]) => unknown)(...more) : first
          })
          return { rules: made, tests: made }
        })
        const compiled = compilePolicy(policy)
        // THEN
        expect(typeof renderHujson(compiled)).toBe('string')
        const junk = calls.some(([verb, args]) => verb !== 'raw' && args.length === 0)
        if (junk) expect(hasErrors(compiled.diagnostics)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
