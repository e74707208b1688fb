import { concat, layout, list, type Doc } from './layout.js'
import { literal, propertyKey, quote } from './typescript-literal.js'

/** One file of generated DSL source, its path relative to the output folder. */
export interface GeneratedFile {
  readonly path: string
  readonly text: string
}

/** A rule, raw section or expectation as code, with the comments the HuJSON wrote on it. */
export interface Statement {
  readonly comments: readonly string[]
  readonly doc: Doc
}

export interface Declared<V> {
  readonly name: string
  readonly value: V
  readonly comments: readonly string[]
}

export interface ImportedInventory {
  readonly groups: readonly Declared<readonly string[]>[]
  readonly tags: readonly Declared<readonly string[]>[]
  readonly hosts: readonly Declared<string>[]
  readonly services: readonly {
    readonly name: string
    readonly on: { readonly tag: string } | { readonly host: string }
    /** `Port.tcp(8080)` and the like */
    readonly ports: readonly string[]
  }[]
}

export interface PolicyFiles {
  readonly inventory: ImportedInventory
  readonly rules: readonly Statement[]
  readonly tests: readonly Statement[]
  readonly source: string | undefined
}

/**
 * The generated project in the house layout: `inventory.ts` declares the nouns, `access.ts` the
 * rules, `expectations.ts` the tests, and `index.ts` default-exports the policy built from them. The
 * DSL is imported by the package's name, so the files work in a team's own repository.
 */
export function renderPolicyFiles({ inventory, rules, tests, source }: PolicyFiles): GeneratedFile[] {
  const files: GeneratedFile[] = []
  const hasTests = tests.length > 0
  const from = source === undefined ? 'a Tailscale policy file' : `\`${source}\``
  files.push({
    path: 'index.ts',
    text: lines([
      "import { definePolicy } from 'tailor'",
      "import { access } from './access.js'",
      ...(hasTests ? ["import { expectations } from './expectations.js'"] : []),
      "import { inventory } from './inventory.js'",
      '',
      `// Imported from ${from} by \`tailor import\`; the policy's nouns are in inventory.ts, who may`,
      `// reach what in access.ts${hasTests ? ', and the tests Tailscale re-runs on every change in expectations.ts' : ''}.`,
      `export default definePolicy(inventory, (p) => ({ rules: access(p)${hasTests ? ', tests: expectations(p)' : ''} }))`,
    ]),
  })
  files.push({ path: 'inventory.ts', text: inventoryFile(inventory) })
  files.push({ path: 'access.ts', text: statementsFile('access', rules) })
  if (hasTests) files.push({ path: 'expectations.ts', text: statementsFile('expectations', tests) })
  return files
}

function inventoryFile(inventory: ImportedInventory): string {
  const sections: string[] = []
  const section = (name: string, entries: readonly { name: string; comments: readonly string[]; doc: Doc }[]) => {
    if (entries.length === 0) return
    const body = entries.flatMap((e) => [...e.comments.map((c) => `    ${comment(c)}`), `    ${propertyKey(e.name)}: ${layout(e.doc, 4, 6 + propertyKey(e.name).length)},`])
    sections.push(`  ${name}: {`, ...body, '  },')
  }
  section('groups', inventory.groups.map((g) => ({ name: g.name, comments: g.comments, doc: literal(g.value) })))
  section('tags', inventory.tags.map((t) => ({ name: t.name, comments: t.comments, doc: literal(t.value) })))
  section('hosts', inventory.hosts.map((h) => ({ name: h.name, comments: h.comments, doc: quote(h.value) })))
  section(
    'services',
    inventory.services.map((s) => ({
      name: s.name,
      comments: [],
      doc: list('{', ['tag' in s.on ? `tag: ${quote(s.on.tag)}` : `host: ${quote(s.on.host)}`, concat('ports: ', list('[', s.ports, ']'))], '}', true),
    })),
  )
  const usesPort = inventory.services.length > 0
  return lines([
    `import { defineInventory${usesPort ? ', Port' : ''} } from 'tailor'`,
    '',
    ...(sections.length === 0 ? ['export const inventory = defineInventory({})'] : ['export const inventory = defineInventory({', ...sections, '})']),
  ])
}

function statementsFile(name: 'access' | 'expectations', statements: readonly Statement[]): string {
  const body = statements.flatMap((s) => [...s.comments.map((c) => `  ${comment(c)}`), `  ${layout(s.doc, 2)},`])
  const text = body.join('\n')
  const usesPort = /\bPort\./.test(text)
  const parameter = statements.length === 0 ? '_p' : 'p'
  return lines([
    `import { ${usesPort ? 'Port, ' : ''}type Scope } from 'tailor'`,
    "import type { inventory } from './inventory.js'",
    '',
    ...(statements.length === 0
      ? [`export const ${name} = (${parameter}: Scope<typeof inventory>) => []`]
      : [`export const ${name} = (${parameter}: Scope<typeof inventory>) => [`, ...body, ']']),
  ])
}

function comment(text: string): string {
  return text === '' ? '//' : `// ${text}`
}

function lines(list: readonly string[]): string {
  return `${list.join('\n')}\n`
}
