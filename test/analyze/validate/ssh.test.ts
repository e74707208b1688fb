import { describe, expect, test } from 'vitest'
import { validatePolicy } from '../../../src/analyze/validate-policy.js'

const tagOwners = { 'tag:server': ['alice@example.com'] }

describe('checkSshRules', () => {
  test('GIVEN an accept rule with a checkPeriod WHEN validated THEN it is valid, with a warning that the period has no effect', () => {
    // GIVEN: no capture shows Tailscale rejecting it; headscale does (`checkPeriod is only valid with action "check"`)
    const policy = { tagOwners, ssh: [{ action: 'accept', src: ['alice@example.com'], dst: ['tag:server'], users: ['root'], checkPeriod: '1h' }] }

    // WHEN
    const { policy: valid, diagnostics } = validatePolicy(policy)

    // THEN
    expect(valid).toBeDefined()
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'check-period-ignored', severity: 'warning', path: ['ssh', 0, 'checkPeriod'], message: expect.stringContaining('checkPeriod is only valid with action "check"') }),
    ])
  })

  test('GIVEN a check rule with a checkPeriod WHEN validated THEN there is no diagnostic', () => {
    // GIVEN
    const policy = { tagOwners, ssh: [{ action: 'check', src: ['alice@example.com'], dst: ['tag:server'], users: ['root'], checkPeriod: '1h' }] }

    // WHEN
    const { diagnostics } = validatePolicy(policy)

    // THEN
    expect(diagnostics).toEqual([])
  })
})
