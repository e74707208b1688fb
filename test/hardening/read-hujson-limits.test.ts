import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { MAX_DEPTH, readHujson } from '../../src/io/read-hujson.js'

describe('readHujson | hostile shapes', () => {
  test('arrays nested 100k deep give one located `too-deep` diagnostic instead of a stack overflow', () => {
    // GIVEN
    const text = `{"acls": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    // WHEN
    const document = readHujson(text, 'deep.hujson')
    // THEN
    expect(document.value).toBeUndefined()
    expect(document.diagnostics).toEqual([expect.objectContaining({ code: 'too-deep', severity: 'error', at: { file: 'deep.hujson', line: 1, column: 9 + MAX_DEPTH } })])
  })

  test('nesting that is deep but within the limit still parses', () => {
    // GIVEN
    const depth = MAX_DEPTH - 2
    const text = `{"derpMap": ${'['.repeat(depth)}${']'.repeat(depth)}}`
    // WHEN
    const document = readHujson(text, 'ok.hujson')
    // THEN
    expect(document.diagnostics).toEqual([])
  })

  test('brackets inside strings and comments do not count as nesting', () => {
    // GIVEN
    const text = `// ${'['.repeat(10_000)}\n{"hosts": {"nas": "10.0.0.1"}, /* ${'{'.repeat(10_000)} */ "groups": {"group:a": ["${'['.repeat(10_000)}@example.com"]}}`
    // WHEN
    const document = readHujson(text, 'strings.hujson')
    // THEN
    expect(document.diagnostics.filter((d) => d.code === 'too-deep')).toEqual([])
  })

  test('a megabyte of garbage yields a bounded list of syntax errors, the last one counting the rest', () => {
    // GIVEN
    const text = ' @@ '.repeat(250_000)
    // WHEN
    const document = readHujson(text, 'garbage.hujson')
    // THEN
    expect(document.diagnostics.length).toBeLessThanOrEqual(21)
    expect(document.diagnostics.at(-1)?.message).toMatch(/^invalid HuJSON: \d+ more syntax errors not shown$/)
  })

  test('property: any short pattern of JSON punctuation repeated 50k times is read without throwing', () => {
    const token = fc.constantFrom('[', ']', '{', '}', '"', '\\', ':', ',', '/', '*', '\n', '\r', 'a', '1', ' ', '"k":')
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 8 }), (pattern) => {
        const text = pattern.join('').repeat(Math.ceil(50_000 / pattern.length))
        const document = readHujson(text, 'pattern.hujson')
        expect(Array.isArray(document.diagnostics)).toBe(true)
      }),
      { numRuns: 100, seed: 8 },
    )
  })
})

describe('readHujson | the fast path for well-formed files', () => {
  test('property: a JSON value written with comments and trailing commas reads back as the same value', () => {
    const noise = fc.constantFrom('', ' ', '\n', '// note\n', '/* c */', '/* "quoted" ] } */', '// ] , }\r\n')
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.array(noise, { minLength: 64, maxLength: 64 }), fc.boolean(), (value, noises, trailing) => {
        let n = 0
        const pad = (): string => noises[n++ % noises.length]!
        const write = (v: unknown): string => {
          if (Array.isArray(v)) return `[${pad()}${v.map((x) => `${write(x)}${pad()}`).join(`,${pad()}`)}${trailing && v.length > 0 ? ',' : ''}${pad()}]`
          if (v !== null && typeof v === 'object') {
            const entries = Object.entries(v)
            return `{${pad()}${entries.map(([k, x]) => `${JSON.stringify(k)}${pad()}:${pad()}${write(x)}`).join(`,${pad()}`)}${trailing && entries.length > 0 ? ',' : ''}${pad()}}`
          }
          return JSON.stringify(v)
        }
        const document = readHujson(`${pad()}${write(value)}${pad()}`, 'noisy.hujson')
        expect(document.diagnostics).toEqual([])
        expect(document.value).toEqual(JSON.parse(JSON.stringify(value)))
      }),
      { numRuns: 300, seed: 9 },
    )
  })

  test('a duplicate key spelled with an escape is still a duplicate, located at its second spelling', () => {
    // GIVEN
    const text = '{\n  "hosts": {\n    "nas": "10.1.2.3",\n    "n\\u0061s": "10.1.2.4",\n  },\n}\n'
    // WHEN
    const document = readHujson(text, 'dup.hujson')
    // THEN
    expect(document.value).toBeUndefined()
    expect(document.diagnostics).toEqual([expect.objectContaining({ code: 'duplicate-key', message: 'duplicate key `nas`', at: { file: 'dup.hujson', line: 4, column: 5 } })])
  })

  test('findings in a valid file still point at their line, through the lazily built tree', () => {
    // GIVEN
    const document = readHujson('{\n  // comment\n  "acls": [\n    {"action": "accept", "src": ["*"], "dst": ["*:*"],},\n  ],\n}\n', 'p.hujson')
    // THEN
    expect(document.sourceMap.locate(['acls', 0, 'dst', 0])).toEqual({ file: 'p.hujson', line: 4, column: 48 })
  })
})
