import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { expect, test } from 'vitest'
import { importPolicy } from '../../src/adopt/import-policy.js'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { readHujson } from '../../src/io/read-hujson.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))

/**
 * The generated files type-check under `tsc --strict` (with the house's stricter flags), in a folder
 * of their own that imports the DSL by the package's name, as a team's repository would.
 */
test.each(['seed.hujson', 'mixed.hujson', 'odd-names.hujson'])('%s: the generated project passes tsc --strict', async (name) => {
  // GIVEN
  const text = await readFile(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8')
  const result = importPolicy(readHujson(text, name).value as TailnetPolicy, { text, source: name })
  const dir = await mkdtemp(join(tmpdir(), 'tailor-import-types-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}\n')
  for (const file of result.files) await writeFile(join(dir, file.path), file.text)
  // WHEN
  const program = ts.createProgram(
    result.files.map((f) => join(dir, f.path)),
    {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [join(repo, 'node_modules', '@types')],
      // `tailor` is this repository's source, as the package's `exports` would give it
      paths: { tailor: [join(repo, 'src', 'index.ts')] },
    },
  )
  // THEN: only the generated files are judged; the DSL's own source has its own typecheck
  const generated = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName.startsWith(dir))
  expect(generated.map((d) => `${d.file?.fileName.slice(dir.length + 1)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toStrictEqual([])
})
