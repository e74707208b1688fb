import { describe, expect, test } from 'vitest'
import { mutantsOf } from '../../conformance/policies.js'

describe('mutantsOf', () => {
  test('moves each assertion to the opposite list, one per mutant', () => {
    // GIVEN
    const policy = {
      tests: [{ src: 'a@x.org', accept: ['tag:web:80', 'tag:web:443'], deny: ['tag:db:5432'] }],
      sshTests: [{ src: 'a@x.org', dst: ['tag:web'], check: ['root'] }],
    }
    // WHEN
    const mutants = mutantsOf(policy)
    // THEN
    expect(mutants.map((m) => m.id)).toEqual(['tests[0].accept[0]→deny', 'tests[0].accept[1]→deny', 'tests[0].deny[0]→accept', 'sshTests[0].check[0]→deny'])
    expect(mutants[0]?.policy).toMatchObject({ tests: [{ accept: ['tag:web:443'], deny: ['tag:db:5432', 'tag:web:80'] }] })
    expect(mutants[3]?.policy).toMatchObject({ sshTests: [{ check: [], deny: ['root'] }] })
    // the original is untouched
    expect(policy.tests[0]?.accept).toEqual(['tag:web:80', 'tag:web:443'])
  })

  test('a limit spreads the sample over all assertions', () => {
    const policy = { tests: Array.from({ length: 10 }, (_, i) => ({ src: 'a@x.org', accept: [`tag:t${i}:80`] })) }
    expect(mutantsOf(policy, 3).map((m) => m.id)).toEqual(['tests[0].accept[0]→deny', 'tests[3].accept[0]→deny', 'tests[6].accept[0]→deny'])
  })
})
