import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { validatePolicy } from '../../src/analyze/validate-policy.js'

// tokens that reach every branch of the selector, port and SSH checks
const token = fc.constantFrom(
  '*', '*:*', 'tag:server', 'tag:server:22', 'tag:1x', 'group:eng', 'group:eng:80,443', 'group:x@example.com', 'alice@example.com',
  'user:*@example.com', 'autogroup:self', 'autogroup:self:*', 'autogroup:internet', 'autogroup:member', 'autogroup:members',
  'autogroup:bogus', 'autogroup:danger-all', 'db', 'db:22', 'host:db', 'ipset:a', '10.0.0.0/8', '::/0', '[fd7a::1]:22', '[1.2.3.4]:1',
  '100.64.0.1-100.64.0.9', 'svc:web', 'icmp', 'tcp:0', 'tcp:22', '*:8080', '47:*', 'accept', 'check', 'Accept', '', ' ', 'root',
  'localpart:*@example.org', '-1m', '200h', 'always', 'abc', 'example.com/cap/x', 'tailscale.com/cap/x', 'add 10.0.0.0/8', 'remove ipset:a',
)
const strings = fc.array(token, { maxLength: 4 })
const rule = fc.record(
  { action: token, src: strings, dst: strings, users: strings, ports: strings, ip: strings, via: strings, proto: token, checkPeriod: token, acceptEnv: strings, target: strings, ipPool: strings, app: fc.dictionary(token, fc.constant([{}])) },
  { requiredKeys: [] },
)
const names = fc.dictionary(token, strings, { maxKeys: 3 })
const policy = fc.record(
  {
    acls: fc.array(rule, { maxLength: 3 }),
    grants: fc.array(rule, { maxLength: 3 }),
    ssh: fc.array(rule, { maxLength: 3 }),
    nodeAttrs: fc.array(rule, { maxLength: 2 }),
    groups: names,
    tagOwners: names,
    ipsets: names,
    hosts: fc.dictionary(token, token, { maxKeys: 3 }),
    autoApprovers: fc.record({ routes: names, exitNode: strings, services: names }, { requiredKeys: [] }),
    tests: fc.array(fc.record({ src: token, accept: strings, deny: strings, user: token, allow: strings }, { requiredKeys: [] }), { maxLength: 2 }),
    sshTests: fc.array(fc.record({ src: token, dst: strings, accept: strings }, { requiredKeys: [] }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
)

describe('validatePolicy on arbitrary input', () => {
  test('GIVEN any JSON value WHEN validated THEN it answers with located diagnostics and never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const result = validatePolicy(value)
        expect(result.diagnostics.every((d) => Array.isArray(d.path))).toBe(true)
        expect(result.policy === undefined).toBe(result.diagnostics.some((d) => d.severity === 'error'))
      }),
      { numRuns: 300 },
    )
  })

  test('GIVEN policy-shaped input built from tricky selectors WHEN validated THEN it never throws and every finding is located', () => {
    fc.assert(
      fc.property(policy, fc.option(fc.constantFrom('example.com', 'alice@example.com'), { nil: undefined }), (value, tailnet) => {
        const result = validatePolicy(value, tailnet === undefined ? {} : { tailnet })
        for (const d of result.diagnostics) {
          expect(Array.isArray(d.path)).toBe(true)
          expect(d.message.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 500 },
    )
  })

  test('GIVEN the same input twice WHEN validated THEN the answers are identical', () => {
    fc.assert(
      fc.property(policy, (value) => {
        expect(validatePolicy(value)).toEqual(validatePolicy(structuredClone(value)))
      }),
      { numRuns: 100 },
    )
  })

  test('GIVEN capability parameters nested deeper than the call stack WHEN validated THEN it answers quickly instead of overflowing', () => {
    // GIVEN
    const depth = 50_000
    const text = `{"grants":[{"src":["*"],"dst":["*"],"app":{"example.com/cap/x":[${'['.repeat(depth)}${']'.repeat(depth)}]}}]}`
    const started = performance.now()
    // WHEN
    const result = validatePolicy(JSON.parse(text))
    // THEN
    expect(result.diagnostics.map((d) => d.code)).toEqual(['capability-parameters'])
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
