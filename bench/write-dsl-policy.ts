/**
 * Writes a generated wire policy back as DSL source, the way a team would split a big policy: one
 * inventory file, access files of 500 rules and expectation files of 5,000 tests, all composed in
 * `index.ts`. `tailor build` of that folder is the figure `build-L`. ACLs become grants (the DSL's only
 * rule); names keep their order, so the compiled result has the generated policy's size.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TailnetPolicy } from '../dist/compile/tailnet-policy.js'

const CHUNK_RULES = 500
const CHUNK_TESTS = 5_000

export function writeDslPolicy(folder: string, policy: TailnetPolicy): string {
  mkdirSync(folder, { recursive: true })
  const tags = Object.entries(policy.tagOwners ?? {}).map(([tag, owners]) => `    ${key(tag.slice(4))}: [${owners.map(quote).join(', ')}],`)
  const groups = Object.entries(policy.groups ?? {}).map(([group, members]) => `    ${key(group.slice(6))}: [${members.map(quote).join(', ')}],`)
  const hosts = Object.entries(policy.hosts ?? {}).map(([host, address]) => `    ${key(host)}: ${quote(address)},`)
  writeFileSync(
    join(folder, 'inventory.ts'),
    `import { defineInventory } from 'tailor'\n\nexport const inventory = defineInventory({\n  tags: {\n${tags.join('\n')}\n  },\n  groups: {\n${groups.join('\n')}\n  },\n  hosts: {\n${hosts.join('\n')}\n  },\n})\n`,
  )
  const rules = [
    ...(policy.acls ?? []).map((acl) => {
      const byHost = new Map<string, string[]>()
      for (const dst of acl.dst ?? []) {
        const colon = dst.lastIndexOf(':')
        byHost.set(dst.slice(0, colon), dst.slice(colon + 1).split(','))
      }
      const [ports = []] = [...byHost.values()]
      return `p.allow(${(acl.src ?? []).map(selector).join(', ')}).to([${[...byHost.keys()].map(selector).join(', ')}], ${ports.map((p) => port(acl.proto, p)).join(', ')})`
    }),
    ...(policy.grants ?? []).map((grant) => {
      const ports = (grant.ip ?? []).map((ip) => (ip.includes(':') ? port(ip.slice(0, ip.indexOf(':')), ip.slice(ip.indexOf(':') + 1)) : port(undefined, ip)))
      return `p.allow(${grant.src.map(selector).join(', ')}).to([${grant.dst.map(selector).join(', ')}], ${ports.join(', ')})`
    }),
    ...(policy.ssh ?? []).map((rule) => {
      const base = `p.ssh(${(rule.src ?? []).map(selector).join(', ')}).to(${(rule.dst ?? []).map(selector).join(', ')}).as(${(rule.users ?? []).map(quote).join(', ')})`
      return rule.action === 'check' ? `${base}.check(${quote(rule.checkPeriod ?? '12h')})` : base
    }),
  ]
  const tests = [
    ...(policy.tests ?? []).flatMap((test) => {
      const port = (proto: string | undefined, n: string): string => (proto === undefined ? `Port.number(${n})` : `Port.${proto}(${n})`)
      const src = selector(test.src ?? '')
      return [
        ...(test.accept ?? []).map((d) => `p.expect(${src}).canReach(${selector(d.slice(0, d.lastIndexOf(':')))}, ${port(test.proto, d.slice(d.lastIndexOf(':') + 1))})`),
        ...(test.deny ?? []).map((d) => `p.expect(${src}).cannotReach(${selector(d.slice(0, d.lastIndexOf(':')))}, ${port(test.proto, d.slice(d.lastIndexOf(':') + 1))})`),
      ]
    }),
    ...(policy.sshTests ?? []).flatMap((test) => {
      const src = selector(test.src)
      return test.dst.flatMap((dst) => [
        ...(test.accept && test.accept.length > 0 ? [`p.expect(${src}).canSsh(${selector(dst)}, ${test.accept.map(quote).join(', ')})`] : []),
        ...(test.check && test.check.length > 0 ? [`p.expect(${src}).canSshAfterCheck(${selector(dst)}, ${test.check.map(quote).join(', ')})`] : []),
        ...(test.deny && test.deny.length > 0 ? [`p.expect(${src}).cannotSsh(${selector(dst)}, ${test.deny.map(quote).join(', ')})`] : []),
      ])
    }),
  ]
  const modules: string[] = []
  const writeChunks = (kind: 'access' | 'expectations', lines: readonly string[], size: number): void => {
    for (let i = 0; i * size < lines.length; i++) {
      const name = `${kind}-${String(i).padStart(3, '0')}`
      const body = lines.slice(i * size, (i + 1) * size).map((line) => `  ${line},`).join('\n')
      writeFileSync(join(folder, `${name}.ts`), `import { Port, type Scope } from 'tailor'\nimport type { inventory } from './inventory.js'\n\nvoid Port\n\nexport const ${camel(name)} = (p: Scope<typeof inventory>) => [\n${body}\n]\n`)
      modules.push(name)
    }
  }
  writeChunks('access', rules, CHUNK_RULES)
  writeChunks('expectations', tests, CHUNK_TESTS)
  const imports = modules.map((m) => `import { ${camel(m)} } from './${m}.js'`).join('\n')
  const access = modules.filter((m) => m.startsWith('access')).map((m) => `${camel(m)}(p)`).join(', ')
  const expectations = modules.filter((m) => m.startsWith('expectations')).map((m) => `${camel(m)}(p)`).join(', ')
  writeFileSync(
    join(folder, 'index.ts'),
    `import { definePolicy } from 'tailor'\nimport { inventory } from './inventory.js'\n${imports}\n\nexport default definePolicy(inventory, (p) => ({\n  rules: [${access}].flat(),\n  tests: [${expectations}].flat(),\n}))\n`,
  )
  return join(folder, 'index.ts')
}

function selector(text: string): string {
  if (text.startsWith('tag:')) return `p.tag${member(text.slice(4))}`
  if (text.startsWith('group:')) return `p.group${member(text.slice(6))}`
  if (text.includes('@')) return `p.user(${quote(text)})`
  if (/^[a-z][\w-]*$/.test(text)) return `p.host${member(text)}`
  return `p.raw(${quote(text)})`
}

function port(proto: string | undefined, text: string): string {
  const [first, last = first] = text.split('-')
  if (proto === 'tcp' || proto === 'udp') return first === last ? `Port.${proto}(${first})` : `Port.range('${proto}', ${first}, ${last})`
  return first === last ? `Port.number(${first})` : `Port.number(${first}, ${last})`
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name)
}

function member(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${quote(name)}]`
}

function quote(text: string): string {
  return JSON.stringify(text)
}

function camel(name: string): string {
  return name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
}
