import { describe, expect, test } from 'vitest'
import { emptyLintConfig } from '../../../src/lint/config.js'
import { findings } from '../lint-one.js'

describe('wide-port-range', () => {
  test('fires when a range opens more than the declared service ports', () => {
    // GIVEN
    const policy = `{
  "grants": [
    {"src": ["group:eng"], "dst": ["tag:db"], "ip": ["tcp:5000-6000"]},
  ],
}`
    const config = { ...emptyLintConfig, services: { 'tag:db': '5432' } }
    // THEN
    expect(findings(policy, 'wide-port-range', config)).toStrictEqual([
      "3  warning  wide-port-range  rule opens `tag:db` on `5000-6000`, but its service listens on `5432`  → narrow the rule to `5432`, or declare the service's ports under `lint.services` in `tailor.config.json`",
    ])
  })

  test('without declared ports, the ports the tests reach are the service', () => {
    // GIVEN
    const policy = `{
  "acls": [{"action": "accept", "src": ["tag:web"], "dst": ["tag:api:*"]}],
  "tests": [{"src": "tag:web", "accept": ["tag:api:443"]}],
}`
    // THEN
    expect(findings(policy, 'wide-port-range')).toStrictEqual([
      "2  warning  wide-port-range  rule opens `tag:api` on `*`, but the tests only reach it on `443`  → narrow the rule to `443`, or declare the service's ports under `lint.services` in `tailor.config.json`",
    ])
  })

  test('is quiet for single ports, ranges within the service, and destinations with no known ports', () => {
    // GIVEN
    const policy = `{
  "grants": [
    {"src": ["tag:web"], "dst": ["tag:api"], "ip": ["tcp:8080"]},
    {"src": ["tag:web"], "dst": ["tag:cache"], "ip": ["tcp:6379-6380"]},
    {"src": ["tag:web"], "dst": ["tag:other"], "ip": ["*"]},
  ],
  "tests": [{"src": "tag:web", "accept": ["tag:api:8080", "tag:cache:6379", "tag:cache:6380"]}],
}`
    // THEN
    expect(findings(policy, 'wide-port-range')).toStrictEqual([])
  })
})
