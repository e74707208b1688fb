import { fileURLToPath } from 'node:url'
import { createJiti } from 'jiti'
import { describe, expect, test } from 'vitest'
import { compilePolicy } from '../../src/compile/compile.js'
import { definePolicy } from '../../src/dsl/define-policy.js'
import { Port } from '../../src/model/port.js'
import type { Policy } from '../../src/model/policy.js'
import classic from '../../policy/index.js'
import kitchenSink from '../fixtures/kitchen-sink/policy.js'
import teams from '../fixtures/teams/index.js'
import { checkPolicy } from '../../src/analyze/check.js'

/** definePolicy as JavaScript sees it: no declared names, no checked arguments. */
type LooseScope = { tag: Record<string, unknown>; allow: (...sources: unknown[]) => { to: (...args: unknown[]) => unknown } }
const untypedDefinePolicy = definePolicy as unknown as (declarations: unknown, body: (p: LooseScope) => unknown) => Policy

const inventory = {
  groups: { eng: ['alice@example.com'] },
  tags: { frontend: ['group:eng'], backend: ['group:eng'], database: [] },
  services: { api: { tag: 'backend', ports: [Port.tcp(8080)] }, db: { tag: 'database', ports: [Port.tcp(5432)] } },
} as const

describe('compilePolicy |', () => {
  test('the bundled example compiles to exactly the seed flows, as grants, with no diagnostics', () => {
    // WHEN
    const { policy, diagnostics } = compilePolicy(classic)
    // THEN
    expect(diagnostics).toEqual([])
    expect(policy.grants).toEqual([
      { src: ['tag:admin'], dst: ['*'], ip: ['*'] },
      { src: ['tag:backend'], dst: ['tag:database'], ip: ['tcp:5432'] },
      { src: ['tag:frontend'], dst: ['tag:backend'], ip: ['tcp:8080'] },
    ])
    expect(policy.acls).toBeUndefined()
    expect(Object.keys(policy.tagOwners ?? {})).toEqual(['tag:admin', 'tag:backend', 'tag:database', 'tag:frontend'])
  })

  test.each([
    ['policy/', classic],
    ['kitchen-sink', kitchenSink],
    ['teams', teams],
  ])('%s: the compiled file is valid and its own tests pass under Tailscale semantics', (_, policy) => {
    // WHEN
    const report = checkPolicy(JSON.parse(JSON.stringify(compilePolicy(policy).policy)))
    // THEN
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(report.ok).toBe(true)
  })

  test('a policy made by another copy of tailor (jiti loads its own) compiles the same', async () => {
    // GIVEN policy/ loaded the way the CLI loads it, with its own copies of Port and the DSL
    const jiti = createJiti(import.meta.url, { alias: { tailor: fileURLToPath(new URL('../../src/index.ts', import.meta.url)) }, moduleCache: false })
    const loaded = await jiti.import<{ default: typeof classic }>(fileURLToPath(new URL('../../policy/index.ts', import.meta.url)))
    // WHEN
    const compiled = compilePolicy(loaded.default)
    // THEN
    expect(compiled.diagnostics).toEqual([])
    expect(compiled.policy).toEqual(compilePolicy(classic).policy)
  })

  test('expectations become tests Tailscale re-runs: accept and deny per source and protocol', () => {
    // GIVEN
    const policy = definePolicy(inventory, (p) => ({
      rules: [p.allow(p.tag.frontend).to(p.service.api)],
      tests: [p.expect(p.tag.frontend).canReach(p.service.api), p.expect(p.tag.frontend).cannotReach(p.service.db)],
    }))
    // WHEN
    const { policy: wire } = compilePolicy(policy)
    // THEN
    expect(wire.tests).toEqual([{ src: 'tag:frontend', proto: 'tcp', accept: ['tag:backend:8080'], deny: ['tag:database:5432'] }])
  })

  test('"cannot reach on any port" tests the first port of every range the policy opens, so it is exact', () => {
    // GIVEN access on 8080 and a range 9000-9009 exists somewhere, and an all-ports grant
    const policy = definePolicy(inventory, (p) => ({
      rules: [
        p.allow(p.tag.frontend).to(p.service.api),
        p.allow(p.tag.frontend).to(p.tag.database, Port.range('tcp', 9000, 9009)),
        p.allow(p.group.eng).to(p.tag.database, Port.any()),
      ],
      tests: [p.expect(p.tag.backend).cannotReach(p.tag.frontend)],
    }))
    // WHEN
    const { policy: wire } = compilePolicy(policy)
    // THEN
    expect(wire.tests).toEqual([{ src: 'tag:backend', deny: ['tag:frontend:1', 'tag:frontend:8080', 'tag:frontend:9000'] }])
  })

  test('a rule with no rules at all still emits an empty grants list, which denies everything', () => {
    // WHEN
    const { policy } = compilePolicy(definePolicy({ tags: { lonely: [] } }, () => ({})))
    // THEN
    expect(policy.grants).toEqual([])
  })

  test('identical grants from two rules merge into one, keeping both origins', () => {
    // GIVEN
    const policy = definePolicy(inventory, (p) => ({
      rules: [p.allow(p.tag.frontend).to(p.service.api), p.allow(p.tag.frontend).to(p.tag.backend, Port.tcp(8080)).because('twice')],
    }))
    // WHEN
    const { policy: wire, comments } = compilePolicy(policy)
    // THEN
    expect(wire.grants).toHaveLength(1)
    expect(comments).toEqual([
      { path: ['grants', 0], lines: ['allow(tag.frontend).to(service.api)', 'allow(tag.frontend).to(tag.backend): twice'] },
    ])
  })

  test('destinations with different ports split into one grant per port set', () => {
    // GIVEN
    const policy = definePolicy(inventory, (p) => ({ rules: [p.allow(p.tag.frontend).to([p.service.api, p.service.db])] }))
    // WHEN
    const { policy: wire } = compilePolicy(policy)
    // THEN
    expect(wire.grants).toEqual([
      { src: ['tag:frontend'], dst: ['tag:backend'], ip: ['tcp:8080'] },
      { src: ['tag:frontend'], dst: ['tag:database'], ip: ['tcp:5432'] },
    ])
  })

  test('the source map points each part of the output at the DSL call that made it', () => {
    // GIVEN
    const policy = definePolicy(inventory, (p) => ({
      rules: [p.allow(p.tag.frontend).to(p.service.api)],
      tests: [p.expect(p.tag.frontend).canReach(p.service.api)],
    }))
    const line = policy.rules[0]!.at!.line
    // WHEN
    const { sourceMap } = compilePolicy(policy)
    // THEN
    expect(sourceMap.locate(['grants', 0])).toMatchObject({ file: 'test/compile/compile.test.ts', line })
    expect(sourceMap.locate(['grants', 0, 'dst', 0])).toMatchObject({ line })
    expect(sourceMap.locate(['tests', 0, 'accept', 0])).toMatchObject({ line: line + 1 })
    expect(sourceMap.locate(['tagOwners', 'tag:frontend'])).toEqual(policy.at)
  })

  test('a name never declared is an error with "did you mean", at the line that used it', () => {
    // GIVEN a JavaScript caller, whom no type checker protects
    const policy = untypedDefinePolicy(inventory, (p) => ({ rules: [p.allow(p.tag['frontnd']).to(p.tag['backend'], Port.SSH)] }))
    // WHEN
    const { diagnostics } = compilePolicy(policy)
    // THEN
    expect(diagnostics).toEqual([
      {
        code: 'unknown-tag',
        severity: 'error',
        message: 'tag `frontnd` is not declared',
        hint: 'did you mean `frontend`?',
        at: policy.rules[0]!.at,
      },
    ])
  })

  test('owners, services and routers naming undeclared things are errors too', () => {
    // GIVEN
    const policy = definePolicy(
      {
        tags: { web: ['group:engg' as never, 'autogroup:self' as never, 'tag:nope' as never] },
        groups: { eng: ['alice@example.com', 'not-an-email' as never] },
        services: { api: { tag: 'webb' as never, ports: [Port.HTTPS] } },
      },
      (p) => ({ rules: [p.allow(p.group.eng).to(p.service.api).via({ kind: 'tag', name: 'routr' } as never)] }),
    )
    // WHEN
    const { diagnostics } = compilePolicy(policy)
    // THEN
    expect(diagnostics.map((d) => `${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`)).toEqual([
      'invalid-group-member: group `eng` member `not-an-email` is not a login (groups contain users by email; groups cannot contain other groups)',
      'unknown-group: group `engg` is not declared (did you mean `eng`?)',
      'invalid-owner: `autogroup:self` cannot own tag `web` (tag owners may be autogroup:member, autogroup:tagged, autogroup:owner, autogroup:admin, autogroup:it-admin, autogroup:network-admin, autogroup:billing-admin, autogroup:auditor)',
      'unknown-tag: tag `nope` is not declared (declare it in `tags`)',
      'unknown-tag: tag `webb` is not declared (did you mean `web`?)',
      'unknown-tag: tag `routr` is not declared (declare it in `tags`)',
    ])
  })

  test('tag names follow Tailscale: a letter first, in its own words', () => {
    // WHEN
    const { diagnostics } = compilePolicy(definePolicy({ tags: { '1web': [], 'we b': [] } }, () => ({})))
    // THEN
    expect(diagnostics.map((d) => d.message)).toEqual([
      "tagOwners[\"tag:1web\"]: tag names must start with a letter, after 'tag:'",
      'tag `we b` may contain only letters, digits and dashes',
    ])
  })

  test('ssh rules and ssh expectations compile to ssh and sshTests', () => {
    // GIVEN
    const policy = definePolicy(inventory, (p) => ({
      rules: [
        p.ssh(p.group.eng).to(p.tag.backend).as('root', 'autogroup:nonroot').check('always'),
        p.ssh(p.tag.frontend).to(p.tag.backend).as('deploy').acceptEnv('LANG'),
      ],
      tests: [
        p.expect(p.group.eng).canSshAfterCheck(p.tag.backend, 'root'),
        p.expect(p.tag.frontend).canSsh(p.tag.backend, 'deploy'),
        p.expect(p.tag.frontend).cannotSsh(p.tag.backend, 'root'),
      ],
    }))
    // WHEN
    const { policy: wire } = compilePolicy(policy)
    // THEN
    expect(wire.ssh).toEqual([
      { action: 'check', src: ['group:eng'], dst: ['tag:backend'], users: ['autogroup:nonroot', 'root'], checkPeriod: 'always' },
      { action: 'accept', src: ['tag:frontend'], dst: ['tag:backend'], users: ['deploy'], acceptEnv: ['LANG'] },
    ])
    expect(wire.sshTests).toEqual([
      { src: 'group:eng', dst: ['tag:backend'], check: ['root'] },
      { src: 'tag:frontend', dst: ['tag:backend'], accept: ['deploy'], deny: ['root'] },
    ])
  })

  test('raw sections pass through, merged with the DSL, and a clash is an error', () => {
    // GIVEN
    const policy = definePolicy(inventory, (p) => ({
      rules: [
        p.raw({ acls: [{ action: 'accept', src: ['*'], dst: ['tag:backend:22'] }], hosts: { nas: '10.0.0.9' } }),
        p.raw({ groups: { 'group:eng': ['mallory@example.com'] }, randomizeClientPort: true }),
        p.allow(p.raw('ipset:prod')).to(p.tag.backend, Port.SSH),
      ],
    }))
    // WHEN
    const { policy: wire, diagnostics } = compilePolicy(policy)
    // THEN
    expect(wire.acls).toEqual([{ action: 'accept', src: ['*'], dst: ['tag:backend:22'] }])
    expect(wire.hosts).toEqual({ nas: '10.0.0.9' })
    expect(wire.randomizeClientPort).toBe(true)
    expect(wire.grants).toEqual([{ src: ['ipset:prod'], dst: ['tag:backend'], ip: ['tcp:22'] }])
    expect(diagnostics.map((d) => d.message)).toEqual(['`groups` entry `group:eng` is given twice with different values'])
  })

  test('p.raw of a whole policy file reproduces it, so any live policy can be carried into the DSL', () => {
    // GIVEN a policy using every section the compiler emits
    const original = compilePolicy(kitchenSink).policy
    // WHEN
    const carried = compilePolicy(definePolicy({}, (p) => ({ rules: [p.raw(JSON.parse(JSON.stringify(original)) as Record<string, unknown>)] })))
    // THEN
    expect(carried.diagnostics).toEqual([])
    expect(carried.policy).toEqual(original)
  })

  test('tests that Tailscale cannot run are refused with the reason', () => {
    // GIVEN
    const policy = definePolicy(inventory, (p) => ({
      tests: [
        p.expect(p.any as never).canReach(p.service.api),
        p.expect(p.tag.frontend).cannotReach(p.address('10.0.0.0/8')),
        p.expect(p.tag.frontend).canReach(p.tag.backend, Port.all('tcp')),
      ],
    }))
    // WHEN
    const { diagnostics } = compilePolicy(policy)
    // THEN
    expect(diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'invalid-test: a test runs as one identity, not `any`',
      'invalid-test: a test connects to one entity, not `10.0.0.0/8`',
      'untestable-port: `canReach` cannot check `tcp:*`: Tailscale tests check single ports',
    ])
  })
})
