import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { matrixOf } from '../../src/analyze/matrix.js'
import { renderMatrixHtml, renderMatrixMarkdown, renderMatrixText } from '../../src/analyze/render-matrix.js'

const policy: TailnetPolicy = {
  groups: { 'group:eng': ['alice@example.com', 'bob@example.com'] },
  tagOwners: { 'tag:web': [], 'tag:db': [] },
  grants: [
    { src: ['group:eng'], dst: ['tag:web'], ip: ['443'] },
    { src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] },
    { src: ['alice@example.com'], dst: ['tag:db'], ip: ['tcp:5432'], srcPosture: ['posture:managed'] },
  ],
  ssh: [{ action: 'check', src: ['alice@example.com'], dst: ['tag:db'], users: ['postgres'] }],
  tests: [{ src: 'bob@example.com', accept: ['tag:web:443'] }],
}

describe('matrixOf', () => {
  test('lays out who reaches what, with ports, ssh logins and the rules behind each pair', () => {
    // WHEN
    const matrix = matrixOf(policy)
    // THEN
    expect(matrix.sources).toStrictEqual(['alice@example.com', 'bob@example.com', 'tag:web'])
    expect(matrix.destinations).toStrictEqual(['tag:db', 'tag:web'])
    expect(matrix.cells.map((c) => [c.src, c.dst, c.access, c.ssh, c.conditional, c.rules])).toStrictEqual([
      ['alice@example.com', 'tag:db', 'tcp:5432', ['postgres (check)'], true, [['grants', 2], ['ssh', 0]]],
      ['alice@example.com', 'tag:web', '443', [], false, [['grants', 0]]],
      ['bob@example.com', 'tag:web', '443', [], false, [['grants', 0]]],
      ['tag:web', 'tag:db', 'tcp:5432', [], false, [['grants', 1]]],
    ])
    expect(matrix.rules.map((r) => [r.text, r.pairs, r.tests])).toStrictEqual([
      ['group:eng → tag:web: 443', 2, [['tests', 0]]],
      ['tag:web → tag:db: tcp:5432', 1, []],
      ['alice@example.com → tag:db: tcp:5432', 1, []],
      ['ssh check: alice@example.com → tag:db as postgres', 1, []],
    ])
  })

  test('renders as a list for the terminal and a table for markdown', () => {
    // WHEN
    const matrix = matrixOf(policy)
    // THEN
    expect(renderMatrixText(matrix)).toBe(
      [
        'alice@example.com',
        '  → tag:db   tcp:5432; ssh postgres (check) (conditional)',
        '  → tag:web  443',
        '',
        'bob@example.com',
        '  → tag:web  443',
        '',
        'tag:web',
        '  → tag:db   tcp:5432',
        '',
        '3 principals, 2 destinations, 4 reachable pairs',
        '',
      ].join('\n'),
    )
    expect(renderMatrixMarkdown(matrix).split('\n')[3]).toBe('| `bob@example.com` |  | 443 |')
  })

  test('an address a host alias names is shown by that name', () => {
    // GIVEN
    const withHosts: TailnetPolicy = { hosts: { nas: '192.168.1.20' }, acls: [{ action: 'accept', src: ['alice@example.com'], dst: ['nas:445'], proto: 'tcp' }] }
    // WHEN
    const text = renderMatrixText(matrixOf(withHosts))
    // THEN
    expect(text.split('\n').slice(0, 2)).toStrictEqual(['alice@example.com', '  → nas (192.168.1.20)  tcp:445'])
  })

  test('the HTML report is one self-contained, deterministic file', () => {
    // WHEN
    const page = renderMatrixHtml(matrixOf(policy), { title: 'policy.hujson' })
    // THEN
    expect(page).toBe(renderMatrixHtml(matrixOf(policy), { title: 'policy.hujson' }))
    expect(page.match(/(?:src|href)="(?!#)[^"]*"/g)).toBeNull()
    expect(page.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//)
    expect(page).toContain('<th scope="row">bob@example.com</th>')
    expect(page).toContain('<svg')
    expect(page).toContain('<code>group:eng → tag:web: 443</code>')
  })
})
