import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createJiti } from 'jiti'
import { describe, expect, test } from 'vitest'
import { declaredAt } from '../../src/dsl/declared-at.js'
import { isPolicy } from '../../src/dsl/define-policy.js'

describe('declaredAt |', () => {
  test('names the caller outside tailor, relative to the working directory', () => {
    // WHEN
    const at = declaredAt()
    // THEN
    expect(at).toEqual({ file: 'test/dsl/declared-at.test.ts', line: 11, column: 16 })
  })

  test('a location reads as plain data: spread and JSON show its file, line and column', () => {
    // WHEN
    const at = declaredAt()
    // THEN
    expect({ ...at }).toStrictEqual({ file: 'test/dsl/declared-at.test.ts', line: 18, column: 16 })
    expect(JSON.parse(JSON.stringify(at))).toStrictEqual({ file: 'test/dsl/declared-at.test.ts', line: 18, column: 16 })
  })

  test('under jiti, the loader the CLI uses, rules point at their line in policy/*.ts', async () => {
    // GIVEN the bundled policy loaded as `tailor build` loads it
    const jiti = createJiti(import.meta.url, {
      alias: { tailor: fileURLToPath(new URL('../../src/index.ts', import.meta.url)) },
      moduleCache: false,
    })
    const file = fileURLToPath(new URL('../../policy/index.ts', import.meta.url))
    // WHEN
    const module = await jiti.import<{ default: unknown }>(file)
    // THEN
    const policy = module.default
    if (!isPolicy(policy)) throw new Error('policy/index.ts exports no policy')
    const lines = readFileSync(file, 'utf8').split('\n')
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1
    expect(policy.at).toMatchObject({ file: 'policy/index.ts', line: lineOf('definePolicy(') })
    expect(policy.rules[0]!.at).toMatchObject({ file: 'policy/index.ts', line: lineOf('p.allow(p.tag.frontend)') })
    expect(policy.expectations.at(-1)!.at).toMatchObject({ file: 'policy/index.ts', line: lineOf('p.expect(p.tag.admin)') })
  })
})
