import { describe, expect, test } from 'vitest'
import { validatePolicy } from '../../../src/analyze/validate-policy.js'
import type { Diagnostic } from '../../../src/model/diagnostic.js'

function errors(policy: unknown): Diagnostic[] {
  return validatePolicy(policy).diagnostics.filter((d) => d.severity === 'error')
}

describe('checkTagOwners', () => {
  test('GIVEN a tag owned by an undefined tag WHEN validated THEN the error says which tag references it', () => {
    // GIVEN
    const policy = { tagOwners: { 'tag:child': ['tag:nope'] } }

    // WHEN
    const found = errors(policy)

    // THEN
    expect(found).toEqual([expect.objectContaining({ code: 'unknown-tag', message: 'tagOwners["tag:child"]: tag "tag:child" references undefined tag "tag:nope"', path: ['tagOwners', 'tag:child', 0] })])
  })
})
