import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterAll, describe, expect, test } from 'vitest'

const entry = fileURLToPath(new URL('../../src/index.js', import.meta.url))
const folder = mkdtempSync(path.join(tmpdir(), 'tailor-typo-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const snippets = {
  tagTypo: `
    export default definePolicy(
      { tags: { frontend: [], backend: [] }, services: { api: { tag: 'backend', ports: [Port.tcp(8080)] } } },
      (p) => ({ rules: [p.allow(p.tag.frontnd).to(p.service.api)] }),
    )`,
  declarationTypo: `
    export default definePolicy(
      { tags: { frontend: [], backend: [] }, services: { api: { tag: 'backnd', ports: [Port.tcp(8080)] } } },
      () => ({}),
    )`,
  spelledRight: `
    export default definePolicy(
      { tags: { frontend: [], backend: [] }, services: { api: { tag: 'backend', ports: [Port.tcp(8080)] } } },
      (p) => ({ rules: [p.allow(p.tag.frontend).to(p.service.api)] }),
    )`,
}

let program: ts.Program | undefined

/** What `tsc --strict` says about one snippet, as `TS<code>: <message>` lines; one program checks them all. */
function typeErrors(name: keyof typeof snippets): string[] {
  const fileOf = (key: string) => path.join(folder, `${key}.ts`)
  if (program === undefined) {
    for (const [key, source] of Object.entries(snippets)) {
      writeFileSync(fileOf(key), `import { definePolicy, Port } from ${JSON.stringify(entry)}\n${source}`)
    }
    program = ts.createProgram(Object.keys(snippets).map(fileOf), {
      strict: true,
      exactOptionalPropertyTypes: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      typeRoots: [fileURLToPath(new URL('../../node_modules/@types', import.meta.url))],
      skipLibCheck: true,
      noEmit: true,
    })
  }
  const file = fileOf(name)
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .filter((d) => d.file?.fileName === file)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').at(-1)}`)
}

describe('typos are TypeScript errors that name the right spelling |', () => {
  test('an undeclared tag on p: TS2551 with "did you mean"', () => {
    // WHEN
    const errors = typeErrors('tagTypo')
    // THEN
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^TS2551: Property 'frontnd' does not exist on type .*\. Did you mean 'frontend'\?$/)
  }, 60_000)

  test('an undeclared tag in a service declaration is rejected, not silently declared (NoInfer): TS2820', () => {
    // WHEN
    const errors = typeErrors('declarationTypo')
    // THEN
    expect(errors).toEqual([`TS2820: Type '"backnd"' is not assignable to type '"frontend" | "backend"'. Did you mean '"backend"'?`])
  }, 60_000)

  test('the same policy spelled right has no errors', () => {
    // WHEN
    const errors = typeErrors('spelledRight')
    // THEN
    expect(errors).toEqual([])
  }, 60_000)
})
