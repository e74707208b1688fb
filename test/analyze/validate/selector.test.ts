import { describe, expect, test } from 'vitest'
import { validatePolicy } from '../../../src/analyze/validate-policy.js'
import type { Diagnostic } from '../../../src/model/diagnostic.js'

const tagOwners = { 'tag:server': ['alice@example.com'] }

function errors(policy: unknown): Diagnostic[] {
  return validatePolicy(policy).diagnostics.filter((d) => d.severity === 'error')
}

describe('checkSelector: messages in Tailscale’s form, with headscale’s words where Tailscale’s are unknown', () => {
  test.each([
    ['an ACL source', { acls: [{ action: 'accept', src: ['group:nope'], dst: ['*:*'] }] }, 'src=group not defined in policy: "group:nope"', ['acls', 0, 'src', 0]],
    ['an ACL destination', { acls: [{ action: 'accept', src: ['*'], dst: ['group:nope:22'] }] }, 'dst="group:nope": group not defined in policy: "group:nope"', ['acls', 0, 'dst', 0]],
    ['a tag owner', { tagOwners: { 'tag:x': ['group:nope'] } }, 'tagOwners["tag:x"]: group not defined in policy: "group:nope"', ['tagOwners', 'tag:x', 0]],
    ['an auto approver', { autoApprovers: { exitNode: ['group:nope'] } }, 'group not defined in policy: "group:nope"', ['autoApprovers', 'exitNode', 0]],
  ])('GIVEN an undefined group in %s WHEN validated THEN it is not defined in policy', (_where, policy, message, path) => {
    // WHEN
    const found = errors(policy)

    // THEN
    expect(found).toEqual([expect.objectContaining({ code: 'unknown-group', message, path })])
  })

  test('GIVEN `*` as an SSH destination WHEN validated THEN the error keeps `invalid dst` and says why', () => {
    // GIVEN
    const policy = { tagOwners, ssh: [{ action: 'accept', src: ['alice@example.com'], dst: ['*'], users: ['root'] }] }

    // WHEN
    const found = errors(policy)

    // THEN
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ code: 'invalid-selector', path: ['ssh', 0, 'dst', 0] })
    expect(found[0]?.message).toMatch(/^invalid dst "\*": wildcard \(\*\) is not supported as SSH destination/)
  })

  test('GIVEN a tag reaching autogroup:member over SSH WHEN validated THEN the error names autogroup:member', () => {
    // GIVEN
    const policy = { tagOwners, ssh: [{ action: 'accept', src: ['tag:server'], dst: ['autogroup:member'], users: ['root'] }] }

    // WHEN
    const found = errors(policy)

    // THEN
    expect(found).toEqual([expect.objectContaining({ code: 'invalid-ssh-destination', message: 'tags in SSH source cannot access autogroup:member (user-owned devices)', path: ['ssh', 0, 'src', 0] })])
  })
})
