import { describe, expect, test } from 'vitest'
import { checkStructure } from '../../../src/analyze/validate/structure.js'

describe('checkStructure', () => {
  test('GIVEN a `#`-prefixed key in a rule WHEN checked THEN it is an unknown field whose hint names the Headscale-only form', () => {
    // GIVEN: headscale ignores `#` keys as metadata; Tailscale's decoder rejects unknown fields
    const policy = { acls: [{ '#note': 'kept by an admin UI', action: 'accept', src: ['*'], dst: ['*:*'] }] }

    // WHEN
    const { diagnostics } = checkStructure(policy)

    // THEN
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({ code: 'unknown-field', severity: 'error', message: 'json: unknown field "#note"', path: ['acls', 0, '#note'] })
    expect(diagnostics[0]?.hint).toMatch(/Headscale-only/)
    expect(diagnostics[0]?.hint).toMatch(/\/\//)
  })

  test('GIVEN an ordinary unknown key WHEN checked THEN its hint lists the keys the object takes', () => {
    // GIVEN
    const policy = { grants: [], rules: [] }

    // WHEN
    const { diagnostics } = checkStructure(policy)

    // THEN
    expect(diagnostics[0]?.hint).not.toMatch(/Headscale/)
    expect(diagnostics[0]?.hint).toMatch(/`grants`/)
  })
})
