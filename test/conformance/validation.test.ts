import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { validationCases } from '../../conformance/validation.js'

// a miniature conformance folder in the shared layout, written by this test
let root = ''

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tailor-validation-'))
  mkdirSync(join(root, 'tailscale'))
  mkdirSync(join(root, 'headscale'))
  mkdirSync(join(root, 'policies'))
  const capture = (id: string, policy: unknown, status: number, message?: string) =>
    writeFileSync(join(root, 'tailscale', `${id}.json`), JSON.stringify({ id, category: 'grant', tailnet: 'alice@example.com', policy, api: { status, body: message === undefined ? null : { message } } }))
  capture('ok', { grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }] }, 200)
  capture('empty', { grants: [{ src: ['*'], dst: ['*'] }] }, 400, 'ip and app can not both be empty')
  capture('tests', { grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }], tests: [{ src: 'x@example.com', deny: ['*:*'] }] }, 400, 'test(s) failed')
  capture('broken', { grants: [] }, 500, 'internal server error')
  writeFileSync(
    join(root, 'headscale', 'cases.json'),
    JSON.stringify([
      { id: 'hs-valid', category: 'parse', origin: 'headscale-unit-test', policy_hujson: '{ "acls": [ {"action": "accept", "src": ["*"], "dst": ["*:*"]}, ], }', expect: { valid: true } },
      { id: 'hs-error', category: 'parse', origin: 'headscale-unit-test', policy: { acls: [{ action: 'deny', src: ['*'], dst: ['*:*'] }] }, expect: { error: 'action="deny" is not supported' } },
      { id: 'hs-test-entry', category: 'parse', origin: 'headscale-unit-test', policy: { tests: [{ src: '*' }] }, expect: { error: 'test entry must have at least one of "accept" or "deny"' } },
      { id: 'hs-divergent', category: 'parse', origin: 'headscale-unit-test', headscale_divergence: 'no roles', policy: {}, expect: { error: 'x' } },
    ]),
  )
  writeFileSync(join(root, 'policies', 'index.json'), JSON.stringify([{ id: '001', expect: 'tests-pass', dialect: 'tailscale' }, { id: '002', expect: 'no-crash', dialect: 'headscale' }]))
  writeFileSync(join(root, 'policies', '001.hujson'), '// a comment\n{ "grants": [ {"src": ["*"], "dst": ["*"], "ip": ["*"]}, ], }\n')
  writeFileSync(join(root, 'policies', '002.hujson'), 'not json')
})

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('validationCases', () => {
  test('GIVEN captures, headscale cases and public files WHEN judged THEN each row carries the expected and the actual verdict', () => {
    // WHEN
    const rows = validationCases(root)
    // THEN
    expect(rows.map((r) => [r.id, r.expected, r.got, r.messageMatches])).toEqual([
      ['empty', 'reject', 'reject', true],
      ['ok', 'accept', 'accept', true],
      ['tests', 'accept', 'accept', true],
      ['hs-valid', 'accept', 'accept', true],
      ['hs-error', 'reject', 'reject', true],
      ['policy-001', 'accept', 'accept', true],
    ])
    expect(rows[0]).toMatchObject({ category: 'grant', expectedMessage: 'ip and app can not both be empty', messages: ['ip and app can not both be empty'] })
  })
})
