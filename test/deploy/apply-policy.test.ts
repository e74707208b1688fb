import * as pulumi from '@pulumi/pulumi'
import { beforeAll, describe, expect, test } from 'vitest'
import { applyPolicy } from '../../src/deploy/apply-policy.js'

beforeAll(async () => {
  await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }), call: (args) => args.inputs as Record<string, unknown> }, 'tailor', 'dev', true)
})

describe('applyPolicy', () => {
  test('the Acl is protected, so `pulumi destroy` cannot reset the tailnet to Tailscale’s allow-all default', () => {
    // WHEN
    const acl = applyPolicy({ hujson: '{"grants": []}\n' })
    // THEN: Pulumi keeps resource options on the resource; protect is not an input the mock sees
    expect(Reflect.get(acl, '__protect')).toBe(true)
  })

  test('a caller cannot turn protection off', () => {
    // WHEN
    const acl = applyPolicy({ hujson: '{}\n', name: 'other' }, { protect: false })
    // THEN
    expect(Reflect.get(acl, '__protect')).toBe(true)
  })

  test('the policy text goes in unchanged, overwriting a hand-edited file, and destroy leaves it in place', async () => {
    // WHEN
    const acl = applyPolicy({ hujson: '// ours\n{"grants": []}\n', name: 'third' })
    // THEN
    const [text, overwrite, reset] = await Promise.all([outputValue(acl.acl), outputValue(acl.overwriteExistingContent), outputValue(acl.resetAclOnDestroy)])
    expect(text).toBe('// ours\n{"grants": []}\n')
    expect(overwrite).toBe(true)
    expect(reset).toBe(false)
  })
})

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)))
}
