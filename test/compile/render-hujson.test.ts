import { describe, expect, test } from 'vitest'
import { compilePolicy } from '../../src/compile/compile.js'
import { renderHujson } from '../../src/compile/render-hujson.js'
import { readHujson } from '../../src/io/read-hujson.js'
import { definePolicy } from '../../src/dsl/define-policy.js'
import { Port } from '../../src/model/port.js'
import example from '../../policy/index.js'
import kitchenSink from '../fixtures/kitchen-sink/policy.js'
import teams from '../fixtures/teams/index.js'

describe('renderHujson |', () => {
  test('the bundled example compiles to the reviewed file', async () => {
    // WHEN
    const text = renderHujson(compilePolicy(example))
    // THEN
    await expect(text).toMatchFileSnapshot('../fixtures/example/tailnet.hujson')
  })

  test('every DSL feature compiles to the reviewed file', async () => {
    // GIVEN
    const compiled = compilePolicy(kitchenSink)
    // THEN
    expect(compiled.diagnostics).toEqual([])
    await expect(renderHujson(compiled)).toMatchFileSnapshot('../fixtures/kitchen-sink/tailnet.hujson')
  })

  test('a policy split across team files compiles to the reviewed file', async () => {
    // GIVEN
    const compiled = compilePolicy(teams)
    // THEN
    expect(compiled.diagnostics).toEqual([])
    await expect(renderHujson(compiled)).toMatchFileSnapshot('../fixtures/teams/tailnet.hujson')
  })

  test('the output is HuJSON that reads back to exactly the compiled policy', () => {
    // GIVEN
    const compiled = compilePolicy(kitchenSink)
    // WHEN
    const read = readHujson(renderHujson(compiled), 'tailnet.hujson')
    // THEN
    expect(read.diagnostics).toEqual([])
    expect(read.value).toEqual(JSON.parse(JSON.stringify(compiled.policy)))
  })

  test('each rule carries a comment naming its origin by stable names, never by file and line', () => {
    // GIVEN
    const policy = definePolicy({ tags: { web: [], api: [] }, services: { grpc: { tag: 'api', ports: [Port.tcp(9000)] } } }, (p) => ({
      rules: [p.allow(p.tag.web).to(p.service.grpc).because('the web tier\ncalls the API')],
    }))
    // WHEN
    const text = renderHujson(compilePolicy(policy))
    // THEN
    expect(text).toContain('    // allow(tag.web).to(service.grpc): the web tier calls the API\n    {"src": ["tag:web"], "dst": ["tag:api"], "ip": ["tcp:9000"]},\n')
    expect(text).not.toMatch(/\.ts:\d+/)
    expect(text.endsWith('}\n')).toBe(true)
  })
})
