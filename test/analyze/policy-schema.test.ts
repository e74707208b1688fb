import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { policyValidatorSource } from '../../scripts/policy-validator-source.js'

describe('policy-schema.generated.ts', () => {
  test('GIVEN the schema WHEN the validator is generated again THEN it equals the committed file', () => {
    // GIVEN
    const committed = readFileSync(new URL('../../src/analyze/policy-schema.generated.ts', import.meta.url), 'utf8')
    // WHEN
    const fresh = policyValidatorSource()
    // THEN run `npm run generate:policy-schema` when this fails
    expect(committed).toBe(fresh)
  })
})
