import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { importPolicy, type PolicyImport } from '../../src/adopt/import-policy.js'
import { checkPolicy } from '../../src/analyze/check.js'
import { diffPolicies } from '../../src/analyze/diff.js'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { loadPolicy } from '../../src/io/load-policy.js'
import { readHujson } from '../../src/io/read-hujson.js'

const fixture = (name: string) => new URL(name.includes('/') ? `../fixtures/${name}` : `../fixtures/import/${name}`, import.meta.url)

async function imported(name: string): Promise<{ text: string; policy: TailnetPolicy; result: PolicyImport }> {
  const text = await readFile(fixture(name), 'utf8')
  const policy = readHujson(text, name).value as TailnetPolicy
  return { text, policy, result: importPolicy(policy, { text, source: name }) }
}

/** Writes the generated files to a fresh folder and compiles them the way `tailor diff` loads a `.ts` policy. */
async function compiledFrom(result: PolicyImport): Promise<TailnetPolicy> {
  const dir = await mkdtemp(join(tmpdir(), 'tailor-import-'))
  for (const file of result.files) await writeFile(join(dir, file.path), file.text)
  const loaded = await loadPolicy(join(dir, 'index.ts'))
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'))
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toStrictEqual([])
  return loaded.policy as TailnetPolicy
}

const file = (result: PolicyImport, path: string) => result.files.find((f) => f.path === path)?.text

describe('importPolicy', () => {
  test('the seed example becomes the house layout: declared names, services, comments kept', async () => {
    // GIVEN
    const { result } = await imported('seed.hujson')
    // THEN
    expect(result.files.map((f) => f.path)).toStrictEqual(['index.ts', 'inventory.ts', 'access.ts'])
    expect(file(result, 'index.ts')).toBe(`import { definePolicy } from 'tailor'
import { access } from './access.js'
import { inventory } from './inventory.js'

// Imported from \`seed.hujson\` by \`tailor import\`; the policy's nouns are in inventory.ts, who may
// reach what in access.ts.
export default definePolicy(inventory, (p) => ({ rules: access(p) }))
`)
    expect(file(result, 'inventory.ts')).toBe(`import { defineInventory, Port } from 'tailor'

export const inventory = defineInventory({
  groups: {
    platform: ['alice@example.com', 'bob@example.com'],
    admins: ['danny@example.com'],
  },
  tags: {
    frontend: ['group:platform'],
    backend: ['group:platform'],
    database: ['group:platform'],
    danny: ['group:admins'],
  },
  services: {
    backend: { tag: 'backend', ports: [Port.number(8080)] },
    database: { tag: 'database', ports: [Port.number(5432)] },
  },
})
`)
    expect(file(result, 'access.ts')).toBe(`import { Port, type Scope } from 'tailor'
import type { inventory } from './inventory.js'

export const access = (p: Scope<typeof inventory>) => [
  // the web tier calls the API
  p.allow(p.tag.frontend).to(p.service.backend),
  // the API uses the database
  p.allow(p.tag.backend).to(p.service.database),
  p.allow(p.tag.danny)
    .to(p.any, Port.any())
    .because('tailor-ignore wildcard-destination: the break-glass device reaches every host'),
]
`)
    expect(result.raw).toStrictEqual([])
  })

  test('the seed example is about as long as the bundled example policy', async () => {
    // GIVEN
    const { result } = await imported('seed.hujson')
    const bundled = await readFile(new URL('../../policy/index.ts', import.meta.url), 'utf8')
    // THEN
    const lines = result.files.reduce((n, f) => n + f.text.split('\n').length - 1, 0)
    expect(lines).toBeLessThanOrEqual(bundled.split('\n').length + 5)
  })

  test.each(['seed.hujson', 'mixed.hujson', 'odd-names.hujson', 'example/tailnet.hujson'])('%s compiles back to the same access and the same tests', async (name) => {
    // GIVEN
    const { policy, result } = await imported(name)
    // WHEN
    const compiled = await compiledFrom(result)
    // THEN
    const diff = diffPolicies(policy, compiled)
    expect([...diff.broadened, ...diff.narrowed]).toStrictEqual([])
    expect(diff.unchanged.filter((c) => c.kind === 'test' || c.kind === 'sshTest')).toStrictEqual([])
    expect(checkPolicy(compiled).ok).toBe(true)
  })

  test('a file `tailor build` wrote comes back with its reasons, without the origin comments', async () => {
    // GIVEN: the compiled bundled example, one origin comment per rule
    const { result } = await imported('example/tailnet.hujson')
    // THEN
    expect(file(result, 'access.ts')).toContain(`export const access = (p: Scope<typeof inventory>) => [
  p.allow(p.tag.admin).to(p.any, Port.any()).because('the break-glass device reaches every host'),
  p.allow(p.tag.backend).to(p.service.database),
  p.allow(p.tag.frontend).to(p.service.backend),
]`)
    expect(file(result, 'expectations.ts')).not.toContain('//')
  })

  test('what the DSL cannot say goes through p.raw, each listed with the part of the file it came from', async () => {
    // GIVEN
    const { result } = await imported('mixed.hujson')
    // THEN
    expect(result.raw.map((d) => [d.path, d.message])).toStrictEqual([
      [['grants', 4], 'grants[4] is kept as p.raw: app capabilities are not modelled by the DSL'],
      [['acls', 1], 'acls[1] is kept as p.raw: `*` → `autogroup:self` is valid in an ACL but not in a grant'],
      [['ipsets'], '`ipsets` is not modelled by the DSL: kept as p.raw({ ipsets })'],
      [['nodeAttrs'], '`nodeAttrs` is not modelled by the DSL: kept as p.raw({ nodeAttrs })'],
      [['grants', 3], "`ipset:prod` has no DSL name where it is used (grants[3]): written p.raw('ipset:prod')"],
    ])
    expect(result.raw.every((d) => d.severity === 'info' && d.code === 'imported-raw')).toBe(true)
  })

  test('an ACL over several destinations names each one as a service on its own ports', async () => {
    // GIVEN
    const { result } = await imported('mixed.hujson')
    // THEN
    expect(file(result, 'access.ts')).toContain("p.allow(p.tag.web).to([p.service.db, p.service['printer-631']]),")
    expect(file(result, 'expectations.ts')).toContain("p.expect(p.user('alice@example.com')).cannotReach(p.tag.db, Port.number(5432)),")
  })

  test('a selector the DSL has no name for at that place is written raw, and compiles to the same string', () => {
    // GIVEN: `*` is not an SSH source the DSL types allow; ipsets have no DSL name
    const policy: TailnetPolicy = {
      tagOwners: { 'tag:web': [] },
      grants: [{ src: ['user:*@example.com'], dst: ['tag:web'], ip: ['tcp:443'] }],
      tests: [{ src: '100.64.0.0/10', deny: ['tag:web:22'] }],
    }
    // WHEN
    const result = importPolicy(policy)
    // THEN
    expect(file(result, 'access.ts')).toContain("p.allow(p.raw('user:*@example.com')).to(p.service.web),")
    expect(file(result, 'expectations.ts')).toContain("p.expect(p.raw('100.64.0.0/10')).cannotReach(p.tag.web, Port.number(22)),")
  })

  test('the same policy always gives the same files', () => {
    const policy: TailnetPolicy = { tagOwners: { 'tag:b': [], 'tag:a': [] }, acls: [{ action: 'accept', src: ['tag:a'], dst: ['tag:b:22,80'] }] }
    expect(importPolicy(policy)).toStrictEqual(importPolicy(policy))
  })
})
