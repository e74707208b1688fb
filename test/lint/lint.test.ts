import { describe, expect, test } from 'vitest'
import { lintRules } from '../../src/lint/lint.js'
import { parseLintConfig } from '../../src/lint/config.js'
import { inlineSuppressions } from '../../src/lint/suppressions.js'
import { lintText } from './lint-one.js'

const policy = `{
  "tagOwners": {
    "tag:web": [],
    // tailor-ignore unused-tag: the fleet is tagged next sprint, rules follow
    "tag:next": [],
  },
  "grants": [
    {"src": ["*"], "dst": ["tag:web"], "ip": ["443"]}, // tailor-ignore wildcard-source: public website
  ],
  "tests": [{"src": "alice@example.com", "accept": ["tag:web:443"], "deny": ["tag:web:22"]}],
}`

describe('lintPolicy', () => {
  test('every rule has a stable kebab-case id, a severity and a description, and a file of its own', () => {
    expect(lintRules.length).toBeGreaterThanOrEqual(12)
    for (const rule of lintRules) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/)
      expect(['error', 'warning', 'info']).toContain(rule.severity)
      expect(rule.description).not.toBe('')
    }
    expect(new Set(lintRules.map((r) => r.id)).size).toBe(lintRules.length)
  })

  test('inline `tailor-ignore` comments silence a finding on their line or the next, and keep the reason', () => {
    // WHEN
    const result = lintText(policy)
    // THEN
    expect(result.diagnostics).toStrictEqual([])
    expect(result.suppressed.map((s) => [s.diagnostic.code, s.diagnostic.at?.line, s.reason])).toStrictEqual([
      ['unused-tag', 5, 'the fleet is tagged next sprint, rules follow'],
      ['wildcard-source', 8, 'public website'],
    ])
  })

  test('without the comments, the same findings are reported', () => {
    // WHEN
    const result = lintText(policy.replaceAll('tailor-ignore', 'note'))
    // THEN
    expect(result.diagnostics.map((d) => `${d.at?.line} ${d.code}`)).toStrictEqual(['5 unused-tag', '8 wildcard-source'])
  })

  test('a config sets severities, turns rules off, and opts out of findings by path or message', () => {
    // GIVEN
    const { config, diagnostics } = parseLintConfig(
      {
        rules: { 'wildcard-source': 'error', 'accept-only-tests': 'off' },
        ignore: [{ rule: 'unused-tag', match: '`tag:next`', reason: 'rolled out next sprint' }],
      },
      'tailor.config.json',
    )
    const bare = `{"tagOwners": {"tag:web": [], "tag:next": []}, "grants": [{"src": ["*"], "dst": ["tag:web"], "ip": ["443"]}], "tests": [{"src": "alice@example.com", "accept": ["tag:web:443"]}]}`
    // WHEN
    const result = lintText(bare, undefined, config)
    // THEN
    expect(diagnostics).toStrictEqual([])
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toStrictEqual([['wildcard-source', 'error']])
    expect(result.suppressed.map((s) => s.reason)).toStrictEqual(['rolled out next sprint'])
  })

  test('an opt-out without a reason silences nothing and says so', () => {
    // WHEN
    const { suppressions, diagnostics } = inlineSuppressions(`{\n  // tailor-ignore unused-tag\n  "tagOwners": {"tag:x": []}\n}`, 'policy.hujson')
    const config = parseLintConfig({ ignore: [{ rule: 'unused-tag', path: 'tagOwners["tag:x"]' }], rules: { 'no-such-rule': 'loud' } }, 'tailor.config.json')
    // THEN
    expect(suppressions).toStrictEqual([])
    expect(diagnostics.map((d) => `${d.at?.line} ${d.code} ${d.message}`)).toStrictEqual(['2 lint-ignore-without-reason `tailor-ignore unused-tag` has no reason, so it silences nothing'])
    expect(config.diagnostics.map((d) => d.message)).toStrictEqual(['lint rule `no-such-rule` has level "loud"', 'ignoring `unused-tag` needs a reason'])
  })

  test('an opt-out naming an unknown rule is reported', () => {
    // WHEN
    const result = lintText(`{\n  // tailor-ignore wildcard-everything: typo\n  "grants": []\n}`)
    // THEN
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toStrictEqual(['lint-unknown-rule `tailor-ignore wildcard-everything` names no lint rule'])
  })
})
