import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { diffPolicies, isAccessUnchanged, type PolicyDiff } from '../../src/analyze/diff.js'
import { hostNamesOf } from '../../src/analyze/flows.js'
import { renderDiffMarkdown, renderDiffText, summarizeDiff } from '../../src/analyze/render-diff.js'
import { readHujson } from '../../src/io/read-hujson.js'

const fixtures = new URL('../fixtures/diff/', import.meta.url)

describe('diffPolicies on before/after fixtures', () => {
  test('the text groups every change by the principal it concerns', () => {
    // GIVEN
    const base: TailnetPolicy = { groups: { 'group:ops': ['zoe@example.com'] } }
    const head: TailnetPolicy = { groups: { 'group:ops': ['zoe@example.com', 'amy@example.com'] }, grants: [{ src: ['zoe@example.com'], dst: ['tag:db'], ip: ['22'] }] }
    // WHEN
    const text = renderDiffText(diffPolicies(base, head))
    // THEN
    expect(text).toBe(
      [
        'broadens access: 1 flow, 1 group member',
        '',
        'broadened (access added)',
        '  + amy@example.com',
        '      → member of group:ops  added  (base groups["group:ops"]; head groups["group:ops"])',
        '  + zoe@example.com',
        '      → tag:db  22  (head grants[0])',
        '',
      ].join('\n'),
    )
  })

  test('a new port on an existing path is one broadened flow; the new test moves no access', () => {
    // WHEN
    const diff = diffFixture('new-port')
    // THEN
    expect(diff.broadened).toStrictEqual([
      {
        kind: 'flow',
        direction: 'broadened',
        src: 'tag:web',
        dst: 'tag:api',
        access: 'tcp:9090',
        protocols: [{ proto: 6, ports: [{ first: 9090, last: 9090 }] }],
        posture: [],
        via: [],
        base: [{ path: ['grants', 0], at: { file: 'new-port/base.hujson', line: 11, column: 5 } }],
        head: [{ path: ['grants', 1], at: { file: 'new-port/head.hujson', line: 13, column: 5 } }],
      },
    ])
    expect(diff.narrowed).toStrictEqual([])
    expect(diff.unchanged).toStrictEqual([
      { kind: 'test', direction: 'unchanged', subject: 'tag:web', item: 'accept tag:api:9090', change: 'added', head: { path: ['tests', 1], at: { file: 'new-port/head.hujson', line: 17, column: 5 } } },
    ])
  })

  test('a new port renders as a PR comment with a summary, a table and a mermaid graph', async () => {
    // WHEN
    const markdown = renderDiffMarkdown(diffFixture('new-port'))
    // THEN
    await expect(markdown).toMatchFileSnapshot('../fixtures/diff/new-port/expected.md')
    expect(markdown).toContain('broadens access: 1 flow; other changes: 1 test assertion')
  })

  test('renaming a group with the same members is no change in access', () => {
    // WHEN
    const diff = diffFixture('group-rename')
    // THEN
    expect(isAccessUnchanged(diff)).toBe(true)
    expect(diff.unchanged).toStrictEqual([
      {
        kind: 'group',
        direction: 'unchanged',
        subject: 'group:engineering',
        item: 'group:eng',
        change: 'renamed',
        base: { path: ['groups', 'group:engineering'], at: { file: 'group-rename/base.hujson', line: 3, column: 5 } },
        head: { path: ['groups', 'group:eng'], at: { file: 'group-rename/head.hujson', line: 4, column: 5 } },
      },
    ])
    expect(summarizeDiff(diff)).toBe('no change in access; other changes: 1 group definition')
  })

  test('a new group member broadens access through every rule that names the group', () => {
    // WHEN
    const diff = diffFixture('new-member')
    // THEN
    expect(diff.broadened.map((c) => [c.kind, 'src' in c ? c.src : c.item, 'dst' in c ? c.dst : c.subject])).toStrictEqual([
      ['flow', 'mallory@example.com', 'tag:db'],
      ['group', 'mallory@example.com', 'group:dba'],
      ['tagOwner', 'mallory@example.com', 'tag:db'],
    ])
    expect(diff.narrowed).toStrictEqual([])
    expect(renderDiffMarkdown(diff)).toMatchInlineSnapshot(`
      "### tailor diff: broadens access: 1 flow, 1 group member, 1 tag owner

      | change | who | what | access | base rule | head rule |
      | --- | --- | --- | --- | --- | --- |
      | **broadened** | \`mallory@example.com\` | \`tag:db\` | \`5432\` |  | new-member/head.hujson:7 |
      | **broadened** | \`mallory@example.com\` | \`member of group:dba\` | \`added\` | new-member/base.hujson:3 | new-member/head.hujson:3 |
      | **broadened** | \`mallory@example.com\` | \`may apply tag:db\` | \`added\` |  | new-member/head.hujson:5 |

      \`\`\`mermaid
      flowchart LR
        n0["mallory@example.com"]
        n1["tag:db"]
        n0 ==>|"+ 5432"| n1
      \`\`\`
      "
    `)
  })

  test('ssh check turned into accept broadens; a dropped login narrows', () => {
    // WHEN
    const diff = diffFixture('ssh-check-to-accept')
    // THEN
    expect(diff.broadened).toMatchObject([{ kind: 'ssh', src: 'alice@example.com', dst: 'tag:prod', user: 'root', before: 'check', after: 'accept' }])
    expect(diff.narrowed).toMatchObject([{ kind: 'ssh', src: 'alice@example.com', dst: 'tag:prod', user: 'ubuntu', before: 'check', after: 'none' }])
  })

  test('legacy acls rewritten as grants, reordered and split, are no change in access', () => {
    // WHEN
    const diff = diffFixture('acl-to-grant')
    // THEN
    expect(diff).toStrictEqual({ broadened: [], narrowed: [], unchanged: [] })
    expect(summarizeDiff(diff)).toBe('no change in access')
  })

  test('a host alias pointed elsewhere broadens toward the new address and narrows the old', () => {
    // WHEN
    const diff = diffFixture('host-repoint')
    // THEN
    expect(diff.broadened.map((c) => [c.kind, 'dst' in c ? c.dst : c.item])).toStrictEqual([
      ['flow', '100.64.0.99'],
      ['host', '100.64.0.99'],
    ])
    expect(diff.narrowed.map((c) => [c.kind, 'dst' in c ? c.dst : c.item])).toStrictEqual([
      ['flow', '100.64.0.10'],
      ['host', '100.64.0.10'],
    ])
  })

  test('the text names addresses by their host alias', () => {
    // GIVEN
    const diff = diffFixture('host-repoint')
    const hostNames = hostNamesOf({ hosts: { 'billing-db': '100.64.0.10' } }, { hosts: { 'billing-db': '100.64.0.99' } })
    // WHEN
    const text = renderDiffText(diff, { hostNames })
    // THEN
    expect(text.split('\n').slice(0, 5)).toStrictEqual([
      'broadens access: 1 flow, 1 host address; narrows: 1 flow, 1 host address',
      '',
      'broadened (access added)',
      '  + alice@example.com',
      '      → billing-db (100.64.0.99)  5432  (head host-repoint/head.hujson:4)',
    ])
  })
})

describe('each before/after fixture renders as its reviewed PR comment', () => {
  test.each(['new-port', 'group-rename', 'new-member', 'ssh-check-to-accept', 'acl-to-grant', 'host-repoint'])('%s', async (name) => {
    const value = (which: string) => readHujson(readFileSync(new URL(`${name}/${which}.hujson`, fixtures), 'utf8'), which).value as TailnetPolicy
    const hostNames = hostNamesOf(value('base'), value('head'))
    await expect(renderDiffMarkdown(diffFixture(name), { hostNames })).toMatchFileSnapshot(`../fixtures/diff/${name}/expected.md`)
  })
})

describe('diffPolicies on the parts of a policy besides rules', () => {
  test('a new auto-approved route broadens access', () => {
    // GIVEN
    const base: TailnetPolicy = { autoApprovers: { routes: { '10.0.0.0/8': ['tag:router'] } } }
    const head: TailnetPolicy = { autoApprovers: { routes: { '10.0.0.0/8': ['tag:router'], '192.168.0.0/16': ['alice@example.com'] } } }
    // WHEN
    const diff = diffPolicies(base, head)
    // THEN
    expect(diff.broadened).toStrictEqual([{ kind: 'autoApprover', direction: 'broadened', subject: 'route 192.168.0.0/16', item: 'alice@example.com', change: 'added', head: { path: ['autoApprovers', 'routes', '192.168.0.0/16'] } }])
  })

  test('a new app capability broadens access; a new posture condition narrows it', () => {
    // GIVEN
    const base: TailnetPolicy = { postures: { 'posture:mac': ["node:os == 'macos'"] }, grants: [{ src: ['group:eng'], dst: ['tag:idp'], ip: ['443'] }] }
    const head: TailnetPolicy = {
      postures: { 'posture:mac': ["node:os == 'macos'", "node:tsVersion >= '1.60'"] },
      grants: [{ src: ['group:eng'], dst: ['tag:idp'], ip: ['443'], app: { 'example.com/cap/admin': [{ role: 'admin' }] } }],
    }
    // WHEN
    const diff = diffPolicies(base, head)
    // THEN
    expect(diff.broadened).toMatchObject([{ kind: 'app', src: 'group:eng', dst: 'tag:idp', capability: 'example.com/cap/admin', params: '{"role":"admin"}' }])
    expect(diff.narrowed).toMatchObject([{ kind: 'posture', subject: 'posture:mac', item: "node:tsVersion >= '1.60'", change: 'added' }])
  })

  test('an ssh rule that lets clients send more environment variables broadens; a session recorder narrows', () => {
    // GIVEN
    const rule = { action: 'accept', src: ['group:dev'], dst: ['tag:box'], users: ['autogroup:nonroot'] }
    const base: TailnetPolicy = { ssh: [{ ...rule, acceptEnv: ['GIT_*'] }] }
    const head: TailnetPolicy = { ssh: [{ ...rule, acceptEnv: ['GIT_*', '*'], recorder: ['tag:recorder'] }] }
    // WHEN
    const diff = diffPolicies(base, head)
    // THEN
    expect(diff.broadened).toMatchObject([{ kind: 'sshOption', subject: 'accept group:dev → tag:box as autogroup:nonroot', item: 'acceptEnv *', change: 'added' }])
    expect(diff.narrowed).toMatchObject([{ kind: 'sshOption', item: 'recorder tag:recorder', change: 'added' }])
  })

  test('a posture added to a rule narrows it and grants nothing new', () => {
    // GIVEN
    const base: TailnetPolicy = { grants: [{ src: ['alice@example.com'], dst: ['tag:db'], ip: ['tcp:5432'] }] }
    const head: TailnetPolicy = { grants: [{ src: ['alice@example.com'], dst: ['tag:db'], ip: ['tcp:5432'], srcPosture: ['posture:managed'] }] }
    // WHEN
    const diff = diffPolicies(base, head)
    // THEN
    expect(diff.broadened).toStrictEqual([])
    expect(diff.narrowed).toMatchObject([{ kind: 'flow', src: 'alice@example.com', dst: 'tag:db', access: 'tcp:5432', posture: [] }])
  })

  test('a PR comment stays within GitHub\'s size limit: 200 rows, then a count', () => {
    // GIVEN
    const users = Array.from({ length: 250 }, (_, i) => `user${String(i).padStart(3, '0')}@example.com`)
    const head: TailnetPolicy = { grants: [{ src: users, dst: ['tag:db'], ip: ['tcp:5432'] }] }
    // WHEN
    const markdown = renderDiffMarkdown(diffPolicies({}, head))
    // THEN
    expect(markdown.split('\n').filter((l) => l.startsWith('| **broadened**'))).toHaveLength(200)
    expect(markdown).toContain('… and 50 more changes: run `tailor diff` to see them all.')
  })

  test('narrowing a rule from `*` to a group only narrows: the group was inside `*` all along', () => {
    // GIVEN
    const groups = { 'group:eng': ['alice@example.com'] }
    const base: TailnetPolicy = { groups, grants: [{ src: ['*'], dst: ['tag:db'], ip: ['tcp:5432'] }, { src: ['tag:ci'], dst: ['tag:web'], ip: ['22'] }] }
    const head: TailnetPolicy = { groups, grants: [{ src: ['group:eng'], dst: ['tag:db'], ip: ['tcp:5432'] }, { src: ['tag:ci'], dst: ['tag:web'], ip: ['22'] }] }
    // WHEN
    const diff = diffPolicies(base, head)
    const back = diffPolicies(head, base)
    // THEN
    expect(diff.broadened).toStrictEqual([])
    expect(diff.narrowed).toMatchObject([{ kind: 'flow', src: '*', dst: 'tag:db', access: 'tcp:5432' }])
    expect(back.narrowed).toStrictEqual([])
    expect(back.broadened).toMatchObject([{ kind: 'flow', src: '*', dst: 'tag:db', access: 'tcp:5432' }])
  })

  test('a port range widened in place reports only the new ports', () => {
    // GIVEN
    const base: TailnetPolicy = { acls: [{ action: 'accept', src: ['tag:ci'], dst: ['tag:runner:8000-8010'], proto: 'tcp' }] }
    const head: TailnetPolicy = { acls: [{ action: 'accept', src: ['tag:ci'], dst: ['tag:runner:8000-8020,22'], proto: 'tcp' }] }
    // WHEN
    const diff = diffPolicies(base, head)
    // THEN
    expect(diff.broadened).toMatchObject([{ kind: 'flow', access: 'tcp:22,8011-8020', base: [{ path: ['acls', 0] }], head: [{ path: ['acls', 0] }] }])
    expect(diff.narrowed).toStrictEqual([])
  })
})

describe('diffPolicies reads shared rules only where a changed rule touches', () => {
  test('an unchanged rule still covers what a new rule repeats, and is named as the base rule', () => {
    // GIVEN
    const kept = { src: ['tag:ci'], dst: ['tag:runner'], ip: ['tcp:22'] }
    const base: TailnetPolicy = { grants: [{ src: ['tag:web'], dst: ['tag:api'], ip: ['443'] }, kept] }
    const head: TailnetPolicy = { grants: [kept, { src: ['tag:web'], dst: ['tag:api'], ip: ['443'] }, { src: ['tag:ci'], dst: ['tag:runner'], ip: ['tcp:22-23'] }] }
    // WHEN
    const diff = diffPolicies(base, head)
    // THEN
    expect(diff.broadened).toMatchObject([{ kind: 'flow', src: 'tag:ci', dst: 'tag:runner', access: 'tcp:23', base: [{ path: ['grants', 1] }], head: [{ path: ['grants', 2] }] }])
    expect(diff.narrowed).toStrictEqual([])
  })

  test('a changed group makes every rule that names it count, even if the rule text is the same', () => {
    // GIVEN
    const rule = { src: ['group:eng'], dst: ['tag:db'], ip: ['tcp:5432'] }
    const base: TailnetPolicy = { groups: { 'group:eng': ['alice@example.com'] }, grants: [rule] }
    const head: TailnetPolicy = { groups: { 'group:eng': ['bob@example.com'] }, grants: [rule] }
    // WHEN
    const diff = diffPolicies(base, head)
    // THEN
    expect(diff.broadened.filter((c) => c.kind === 'flow')).toMatchObject([{ src: 'bob@example.com', dst: 'tag:db' }])
    expect(diff.narrowed.filter((c) => c.kind === 'flow')).toMatchObject([{ src: 'alice@example.com', dst: 'tag:db' }])
  })
})

function diffFixture(name: string): PolicyDiff {
  const side = (which: 'base' | 'head') => {
    const file = `${name}/${which}.hujson`
    const document = readHujson(readFileSync(new URL(file, fixtures), 'utf8'), file)
    expect(document.diagnostics).toStrictEqual([])
    return document
  }
  const base = side('base')
  const head = side('head')
  return diffPolicies(base.value as TailnetPolicy, head.value as TailnetPolicy, { baseSource: base.sourceMap, headSource: head.sourceMap })
}
