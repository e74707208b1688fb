import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { coverageOf } from '../../src/analyze/coverage.js'
import { renderCoverageText } from '../../src/analyze/render-coverage.js'
import { readHujson } from '../../src/io/read-hujson.js'

const policyText = `{
  "groups": {"group:eng": ["alice@example.com", "bob@example.com"]},
  "hosts": {"nas": "100.64.0.20"},
  "grants": [
    {"src": ["group:eng"], "dst": ["tag:api"], "ip": ["tcp:443"]},
    {"src": ["*"], "dst": ["nas"], "ip": ["445"]},
    {"src": ["tag:ci"], "dst": ["tag:runner"], "ip": ["22"]},
    {"src": ["group:eng"], "dst": ["tag:idp"], "app": {"example.com/cap/idp": [{}]}},
  ],
  "ssh": [
    {"action": "check", "src": ["group:eng"], "dst": ["tag:api"], "users": ["autogroup:nonroot"]},
  ],
  "tests": [
    {"src": "alice@example.com", "accept": ["tag:api:443", "nas:445"]},
    {"src": "tag:ci", "proto": "udp", "accept": ["tag:runner:53"]},
  ],
  "sshTests": [
    {"src": "bob@example.com", "dst": ["tag:api"], "check": ["bob"]},
  ],
}`

describe('coverageOf', () => {
  test('a rule is exercised when a test accepts a path it allows; group members and * count', () => {
    // GIVEN
    const document = readHujson(policyText, 'policy.hujson')
    // WHEN
    const report = coverageOf(document.value as TailnetPolicy, document.sourceMap)
    // THEN
    expect(report.rules.map((r) => [r.path, r.tests, r.testable])).toStrictEqual([
      [['grants', 0], [['tests', 0]], true],
      [['grants', 1], [['tests', 0]], true],
      [['grants', 2], [], true],
      [['grants', 3], [], false],
      [['ssh', 0], [['sshTests', 0]], true],
    ])
    expect([report.covered, report.total]).toStrictEqual([3, 4])
  })

  test('the table names each rule, where it is, and what exercises it', () => {
    // GIVEN
    const document = readHujson(policyText, 'policy.hujson')
    // WHEN
    const text = renderCoverageText(coverageOf(document.value as TailnetPolicy, document.sourceMap))
    // THEN
    expect(text).toBe(
      [
        'rule       location          exercised by',
        'grants[0]  policy.hujson:5   tests[0]',
        'grants[1]  policy.hujson:6   tests[0]',
        'grants[2]  policy.hujson:7   not covered',
        'grants[3]  policy.hujson:8   app only (not testable)',
        'ssh[0]     policy.hujson:11  sshTests[0]',
        '',
        'coverage: 3 of 4 rules exercised by a test (75%)',
        '',
      ].join('\n'),
    )
  })
})
