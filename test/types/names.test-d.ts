import { describe, expectTypeOf, test } from 'vitest'
import { combine, defineInventory, definePolicy, Port, type Scope } from 'tailor'
import type { TagSelector } from '../../src/model/policy.js'

const inventory = {
  groups: { eng: ['alice@example.com'] },
  tags: { frontend: ['group:eng'], backend: ['group:eng'] },
  hosts: { printer: '10.0.5.20' },
  services: { api: { tag: 'backend', ports: [Port.tcp(8080)] } },
} as const

describe('declared names are types |', () => {
  test('p knows exactly the declared names', () => {
    definePolicy(inventory, (p) => {
      expectTypeOf(p.tag).toEqualTypeOf<{ readonly frontend: TagSelector<'frontend'>; readonly backend: TagSelector<'backend'> }>()
      expectTypeOf(p.service).toHaveProperty('api')
      expectTypeOf(p.host).toHaveProperty('printer')
      return {}
    })
  })

  test('a tag, group, host or service never declared does not compile', () => {
    definePolicy(inventory, (p) => ({
      rules: [
        // @ts-expect-error TS2551: Property 'frontnd' does not exist ... Did you mean 'frontend'?
        p.allow(p.tag.frontnd).to(p.service.api),
        // @ts-expect-error unknown group
        p.allow(p.group.engg).to(p.service.api),
        // @ts-expect-error unknown host
        p.allow(p.tag.frontend).to(p.host.printr, Port.SSH),
        // @ts-expect-error unknown service
        p.allow(p.tag.frontend).to(p.service.apii),
      ],
    }))
  })

  test('a name in a declaration position is checked against the declared names (NoInfer), not added to them', () => {
    definePolicy(
      {
        tags: { frontend: [], backend: [] },
        // @ts-expect-error TS2820: '"backnd"' is not assignable ... Did you mean '"backend"'?
        services: { api: { tag: 'backnd', ports: [Port.tcp(8080)] } },
      },
      () => ({}),
    )
    definePolicy(
      {
        groups: { eng: ['alice@example.com'] },
        // @ts-expect-error owner names an undeclared group
        tags: { frontend: ['group:engg'] },
      },
      () => ({}),
    )
    definePolicy(
      {
        // @ts-expect-error a group member is a login, not a bare name
        groups: { eng: ['alice'] },
      },
      () => ({}),
    )
  })

  test('selectors only go where Tailscale accepts them', () => {
    definePolicy(inventory, (p) => ({
      rules: [
        // @ts-expect-error autogroup:self is only a destination
        p.allow(p.autogroup.self).to(p.service.api),
        // @ts-expect-error autogroup:danger-all is only a source
        p.allow(p.tag.frontend).to(p.autogroup.dangerAll, Port.any()),
        // @ts-expect-error a destination other than a service needs ports
        p.allow(p.tag.frontend).to(p.tag.backend),
        // @ts-expect-error ports are Port values, not strings
        p.allow(p.tag.frontend).to(p.tag.backend, 'tcp:8080'),
        // @ts-expect-error an SSH rule needs at least one user
        p.ssh(p.group.eng).to(p.tag.backend).as(),
      ],
      tests: [
        // @ts-expect-error a test runs as one identity, not `*`
        p.expect(p.any).canReach(p.service.api),
        // @ts-expect-error canReach a non-service needs ports
        p.expect(p.tag.frontend).canReach(p.tag.backend),
      ],
    }))
  })

  test('inventories from several files combine, and Scope types a rule set written elsewhere', () => {
    const core = defineInventory({ tags: { backend: [] } })
    const payments = defineInventory({ tags: { ledger: [] }, services: { ledger: { tag: 'ledger', ports: [Port.tcp(9090)] } } })
    const all = combine(core, payments)
    const access = (p: Scope<typeof all>) => [p.allow(p.tag.backend).to(p.service.ledger)]
    definePolicy(all, (p) => {
      expectTypeOf(p.tag).toHaveProperty('backend')
      expectTypeOf(p.tag).toHaveProperty('ledger')
      // @ts-expect-error names come only from the combined inventories
      expectTypeOf(p.tag).toHaveProperty('frontend')
      return { rules: access(p) }
    })
    defineInventory({
      tags: { ledger: [] },
      // @ts-expect-error a part's service runs on one of that part's tags
      services: { db: { tag: 'database', ports: [Port.POSTGRES] } },
    })
  })
})
