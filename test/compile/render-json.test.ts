import { describe, expect, test } from 'vitest'
import { compilePolicy } from '../../src/compile/compile.js'
import { renderJson } from '../../src/compile/render-json.js'
import example from '../../policy/index.js'
import kitchenSink from '../fixtures/kitchen-sink/policy.js'

describe('renderJson |', () => {
  test('the bundled example compiles to the reviewed JSON file', async () => {
    // WHEN
    const text = renderJson(compilePolicy(example))
    // THEN
    await expect(text).toMatchFileSnapshot('../fixtures/example/tailnet.json')
  })

  test('every DSL feature compiles to the reviewed JSON file, which is plain JSON ending in a newline', async () => {
    // WHEN
    const text = renderJson(compilePolicy(kitchenSink))
    // THEN
    expect(() => JSON.parse(text)).not.toThrow()
    expect(text.endsWith('}\n')).toBe(true)
    await expect(text).toMatchFileSnapshot('../fixtures/kitchen-sink/tailnet.json')
  })
})
