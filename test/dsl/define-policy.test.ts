import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { definePolicy, isPolicy } from '../../src/dsl/define-policy.js'
import { Port } from '../../src/model/port.js'

const inventory = {
  groups: { eng: ['alice@example.com'] },
  tags: { frontend: ['group:eng'], backend: ['group:eng'] },
  hosts: { printer: '10.0.5.20' },
  services: { api: { tag: 'backend', ports: [Port.tcp(8080)] } },
} as const

describe('definePolicy |', () => {
  test('declarations become the policy nouns, with owners, members and service placement', () => {
    // WHEN
    const policy = definePolicy(inventory, () => ({}))
    // THEN
    expect(policy.tags.map((t) => [t.name, t.owners])).toEqual([
      ['frontend', ['group:eng']],
      ['backend', ['group:eng']],
    ])
    expect(policy.groups).toMatchObject([{ name: 'eng', members: ['alice@example.com'] }])
    expect(policy.hosts).toMatchObject([{ name: 'printer', address: '10.0.5.20' }])
    expect(policy.services).toMatchObject([{ name: 'api', on: { kind: 'tag', name: 'backend' } }])
    expect(String(policy.services[0]!.ports[0])).toBe('tcp:8080')
    expect(policy.diagnostics).toEqual([])
  })

  test('rules and expectations are data, nested lists flattened', () => {
    // WHEN
    const policy = definePolicy(inventory, (p) => ({
      rules: [p.allow(p.tag.frontend).to(p.service.api), [p.allow(p.group.eng).to(p.tag.backend, Port.SSH).because('on call')]],
      tests: [[p.expect(p.tag.frontend).canReach(p.service.api)]],
    }))
    // THEN
    expect(policy.rules).toMatchObject([
      { kind: 'access', sources: [{ kind: 'tag', name: 'frontend' }], destinations: [{ kind: 'service', name: 'api' }], ports: [] },
      { kind: 'access', sources: [{ kind: 'group', name: 'eng' }], destinations: [{ kind: 'tag', name: 'backend' }], reason: 'on call' },
    ])
    expect(policy.expectations).toMatchObject([{ kind: 'reach', allowed: true, source: { kind: 'tag', name: 'frontend' } }])
  })

  test('the declared names can be listed, to write one rule or test per tag', () => {
    // WHEN
    const policy = definePolicy(inventory, (p) => ({
      tests: Object.values(p.tag).map((tag) => p.expect(tag).cannotReach(p.host.printer, Port.HTTPS)),
    }))
    // THEN
    expect(policy.expectations.map((e) => e.source)).toEqual([
      { kind: 'tag', name: 'frontend' },
      { kind: 'tag', name: 'backend' },
    ])
  })

  test('modifiers return new rules and leave the original alone', () => {
    // GIVEN
    let base: unknown
    let routed: unknown
    definePolicy({ tags: { router: [], web: [] } }, (p) => {
      const rule = p.allow(p.tag.web).to(p.any, Port.any())
      base = rule
      routed = rule.via(p.tag.router).when('posture:latest')
      return {}
    })
    // THEN
    expect(base).toMatchObject({ routers: [], postures: [] })
    expect(routed).toMatchObject({ routers: ['router'], postures: ['posture:latest'] })
  })

  test('each statement remembers the line of this file that made it', () => {
    // WHEN
    const policy = definePolicy(inventory, (p) => ({ // <- policy here
      rules: [p.allow(p.tag.frontend).to(p.service.api)], // <- rule here
    }))
    // THEN
    expect(policy.at).toEqual({ file: 'test/dsl/define-policy.test.ts', line: lineOf('// <- policy here'), column: 20 })
    expect(policy.rules[0]!.at).toEqual({ file: 'test/dsl/define-policy.test.ts', line: lineOf('// <- rule here'), column: 17 })
  })

  test('a body that throws becomes a diagnostic at the policy, not a crash', () => {
    // WHEN
    const policy = definePolicy(inventory, () => {
      throw new Error('boom')
    })
    // THEN
    expect(policy.diagnostics).toMatchObject([{ code: 'policy-body-threw', message: 'the policy body threw: boom' }])
  })

  test('isPolicy tells a policy from anything else a module might export', () => {
    // THEN
    expect(isPolicy(definePolicy({}, () => ({})))).toBe(true)
    expect(isPolicy({ grants: [] })).toBe(false)
    expect(isPolicy(undefined)).toBe(false)
  })
})

function lineOf(marker: string): number {
  const lines = readFileSync(new URL(import.meta.url), 'utf8').split('\n')
  return lines.findIndex((line) => line.includes(marker) && !line.includes('lineOf(')) + 1
}
