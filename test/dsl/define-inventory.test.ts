import { describe, expect, test } from 'vitest'
import { compilePolicy } from '../../src/compile/compile.js'
import { combine, defineInventory } from '../../src/dsl/define-inventory.js'
import { definePolicy } from '../../src/dsl/define-policy.js'
import { Port } from '../../src/model/port.js'
import clash from '../fixtures/clash/index.js'
import teams from '../fixtures/teams/index.js'

describe('defineInventory and combine |', () => {
  test('a policy split across team files has every team’s names, each declared where its team wrote it', () => {
    // THEN
    expect(teams.diagnostics).toEqual([])
    expect(teams.tags.map((t) => [t.name, t.at?.file])).toEqual([
      ['backend', 'test/fixtures/teams/inventory.ts'],
      ['database', 'test/fixtures/teams/inventory.ts'],
      ['ledger', 'test/fixtures/teams/teams/payments.ts'],
    ])
    expect(teams.rules.map((r) => r.at?.file)).toEqual([
      'test/fixtures/teams/index.ts',
      'test/fixtures/teams/teams/payments.ts',
      'test/fixtures/teams/teams/payments.ts',
    ])
  })

  test('the same tag declared in two files (two owners for one tag) is an error naming both places', () => {
    // WHEN
    const { diagnostics } = compilePolicy(clash)
    // THEN
    expect(diagnostics).toEqual([
      {
        code: 'duplicate-declaration',
        severity: 'error',
        message:
          'tag `ledger` is declared twice: at test/fixtures/clash/core.ts:3:21 and at test/fixtures/clash/payments.ts:3:25 (two owners for one tag)',
        at: { file: 'test/fixtures/clash/payments.ts', line: 3, column: 25 },
        hint: 'declare each tag in one file and use it from the others',
      },
    ])
  })

  test('groups, hosts and services clash the same way', () => {
    // GIVEN
    const a = defineInventory({ groups: { eng: ['a@example.com'] }, hosts: { nas: '10.0.0.1' }, tags: { x: [] }, services: { s: { tag: 'x', ports: [Port.SSH] } } })
    const b = defineInventory({ groups: { eng: ['b@example.com'] }, hosts: { nas: '10.0.0.2' }, tags: { y: [] }, services: { s: { tag: 'y', ports: [Port.SSH] } } })
    // WHEN
    const policy = definePolicy(combine(a, b), () => ({}))
    // THEN
    expect(policy.diagnostics.map((d) => d.message.replace(/ at .*? and at .*$/, ''))).toEqual([
      'group `eng` is declared twice:',
      'host `nas` is declared twice:',
      'service `s` is declared twice:',
    ])
    expect(policy.groups).toMatchObject([{ name: 'eng', members: ['a@example.com'] }])
  })

  test('combining parts that do not overlap is the same policy as declaring them together', () => {
    // GIVEN
    const a = defineInventory({ tags: { web: [] }, services: { https: { tag: 'web', ports: [Port.HTTPS] } } })
    const b = defineInventory({ tags: { api: [] } })
    // WHEN
    const split = definePolicy(combine(a, b), (p) => ({ rules: [p.allow(p.tag.api).to(p.service.https)] }))
    const whole = definePolicy({ tags: { web: [], api: [] }, services: { https: { tag: 'web', ports: [Port.HTTPS] } } }, (p) => ({
      rules: [p.allow(p.tag.api).to(p.service.https)],
    }))
    // THEN
    expect(compilePolicy(split).policy).toEqual(compilePolicy(whole).policy)
  })
})
