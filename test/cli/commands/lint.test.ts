import { fileURLToPath } from 'node:url'
import { beforeEach, describe, expect, test, vi } from 'vitest'
import { folderWith, tailorIn } from '../tailor-in.js'

const repo = fileURLToPath(new URL('../../../', import.meta.url))

const risky = `{
  "tagOwners": {"tag:web": [], "tag:old": []},
  "grants": [
    {"src": ["*"], "dst": ["tag:web"], "ip": ["443"]}, // tailor-ignore wildcard-source: the public website
  ],
  "ssh": [{"action": "accept", "src": ["alice@example.com"], "dst": ["tag:web"], "users": ["root"]}],
  "tests": [
    {"src": "alice@example.com", "accept": ["tag:web:443"], "deny": ["tag:web:80"]},
  ],
  "sshTests": [{"src": "alice@example.com", "dst": ["tag:web"], "accept": ["root"]}],
}
`

describe('tailor lint', () => {
  // the same output on a laptop and in a GitHub Actions job
  beforeEach(() => void vi.stubEnv('GITHUB_ACTIONS', 'false'))

  test('the bundled example lints clean, its deliberate finding opted out with a reason', async () => {
    // WHEN
    const run = await tailorIn(repo, 'lint')
    // THEN
    expect(run).toStrictEqual({ code: 0, stdout: '✓ policy/index.ts: no problems (1 opted out with a reason)\n', stderr: '' })
  })

  test("a DSL rule opts out through its reason: .because('tailor-ignore <rule>: <why>')", async () => {
    // GIVEN
    const cwd = await folderWith({
      'policy/index.ts': `import { definePolicy, Port } from 'tailor'

export default definePolicy({ tags: { web: [], admin: [] } }, (p) => ({
  rules: [
    p.allow(p.tag.admin).to(p.any, Port.any()).because('tailor-ignore wildcard-destination: the break-glass path'),
    p.allow(p.tag.web).to(p.tag.admin, Port.tcp(443)),
  ],
  tests: [
    p.expect(p.tag.admin).canReach(p.tag.web, Port.SSH),
    p.expect(p.tag.web).canReach(p.tag.admin, Port.tcp(443)),
    p.expect(p.tag.web).cannotReach(p.tag.admin, Port.SSH),
  ],
}))
`,
    })
    // WHEN
    const run = await tailorIn(cwd, 'lint', '--json')
    // THEN
    const json = JSON.parse(run.stdout) as { ok: boolean; diagnostics: { code: string }[]; suppressed: { code: string; line: number; reason: string }[] }
    expect(json.diagnostics).toStrictEqual([])
    expect(json.suppressed.map((s) => [s.code, s.line, s.reason])).toStrictEqual([['wildcard-destination', 5, 'the break-glass path']])
    expect(run.code).toBe(0)
  })

  test('prints each finding where it is, with its rule and fix, and exits 1 on warnings', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': risky })
    // WHEN
    const run = await tailorIn(cwd, 'lint', '--policy', 'policy.hujson')
    // THEN
    expect(run.code).toBe(1)
    expect(run.stdout).toBe(
      [
        'policy.hujson:2:32  warning  unused-tag  tag `tag:old` is owned but never used',
        '  → remove it from `tagOwners`, or write the rules for the devices that carry it',
        'policy.hujson:6:11  warning  ssh-root-accept  ssh rule accepts `root` logins from `alice@example.com` without re-authentication',
        '  → use `"action": "check"` so a root login needs a recent sign-in, or log in as `autogroup:nonroot`',
        '✗ policy.hujson: 2 warnings (1 opted out with a reason)',
        '',
      ].join('\n'),
    )
  })

  test('a config file turns rules off; --json lists findings and opt-outs with reasons', async () => {
    // GIVEN
    const cwd = await folderWith({
      'policy.hujson': risky,
      'tailor.config.json': JSON.stringify({ lint: { rules: { 'ssh-root-accept': 'off', 'unused-tag': 'info' } } }),
    })
    // WHEN
    const run = await tailorIn(cwd, 'lint', '--policy', 'policy.hujson', '--json')
    // THEN
    const json = JSON.parse(run.stdout) as { ok: boolean; diagnostics: { code: string; severity: string; line: number }[]; suppressed: { code: string; reason: string }[] }
    expect(run.code).toBe(0)
    expect(json.ok).toBe(true)
    expect(json.diagnostics.map((d) => [d.code, d.severity, d.line])).toStrictEqual([['unused-tag', 'info', 2]])
    expect(json.suppressed.map((s) => [s.code, s.reason])).toStrictEqual([['wildcard-source', 'the public website']])
  })

  test('with --annotations, findings are GitHub annotations', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': risky })
    // WHEN
    const run = await tailorIn(cwd, 'lint', '--policy', 'policy.hujson', '--annotations')
    // THEN
    expect(run.stderr.split('\n')[0]).toBe('::warning file=policy.hujson,line=2,col=32,title=tailor lint%3A unused-tag::tag `tag:old` is owned but never used%0Aremove it from `tagOwners`, or write the rules for the devices that carry it')
  })
})
