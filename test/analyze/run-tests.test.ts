import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import type { Inventory } from '../../src/model/inventory.js'
import { runTests, type TestResult } from '../../src/analyze/run-tests.js'

// alice (two devices) and bob are in group:dev; a web server, a db server, and a host entry for a NAS
const inventory: Inventory = {
  tailnet: 'example.com',
  users: [
    { id: 1, name: 'alice', email: 'alice@example.com' },
    { id: 2, name: 'bob', email: 'bob@example.com' },
  ],
  nodes: [
    { name: 'alice-laptop', user: 'alice', tags: [], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
    { name: 'alice-phone', user: 'alice', tags: [], ipv4: '100.64.0.2', ipv6: 'fd7a:115c:a1e0::2' },
    { name: 'bob-laptop', user: 'bob', tags: [], ipv4: '100.64.0.3', ipv6: 'fd7a:115c:a1e0::3' },
    { name: 'web', tags: ['tag:web'], ipv4: '100.64.0.10', ipv6: 'fd7a:115c:a1e0::a' },
    { name: 'db', tags: ['tag:db'], ipv4: '100.64.0.11', ipv6: 'fd7a:115c:a1e0::b' },
  ],
}

const base: TailnetPolicy = {
  groups: { 'group:dev': ['alice@example.com', 'bob@example.com'] },
  tagOwners: { 'tag:web': ['group:dev'], 'tag:db': ['group:dev'] },
  hosts: { nas: '192.168.1.20', lan: '192.168.1.0/24' },
}

function run(policy: Partial<TailnetPolicy>): TestResult[] {
  return runTests({ ...base, ...policy }, inventory)
}

const verdicts = (results: readonly TestResult[]): string[] => results.map((r) => `${r.dst}:${r.passed ? 'pass' : 'fail'}`)

describe('runTests: tests', () => {
  test('accept passes when every device of the source reaches the destination on that port', () => {
    // GIVEN
    const policy = {
      grants: [{ src: ['group:dev'], dst: ['tag:web'], ip: ['tcp:443'] }],
      tests: [{ src: 'group:dev', accept: ['tag:web:443', 'tag:web:80'], deny: ['tag:db:443'] }],
    }
    // WHEN
    const results = run(policy)
    // THEN
    expect(verdicts(results)).toEqual(['tag:web:443:pass', 'tag:web:80:fail', 'tag:db:443:pass'])
    expect(results[1]).toMatchObject({ want: 'Accept', got: 'Drop', path: ['tests', 0, 'accept', 1] })
  })

  test('a source with one device refused fails accept, and names the refused device', () => {
    // GIVEN: only alice's laptop is allowed, by address
    const policy = {
      acls: [{ action: 'accept', src: ['100.64.0.1'], dst: ['tag:web:22'] }],
      tests: [{ src: 'alice@example.com', accept: ['tag:web:22'] }],
    }
    // WHEN
    const [result] = run(policy)
    // THEN
    expect(result?.passed).toBe(false)
    expect(result?.reason).toContain('alice-phone (100.64.0.2)')
  })

  test('deny fails when a rule allows it, and says which rule', () => {
    // GIVEN
    const policy = {
      acls: [
        { action: 'accept', src: ['tag:web'], dst: ['tag:db:5432'] },
        { action: 'accept', src: ['bob@example.com'], dst: ['tag:db:5432'] },
      ],
      tests: [{ src: 'bob@example.com', deny: ['tag:db:5432'] }],
    }
    // WHEN
    const [result] = run(policy)
    // THEN
    expect(result).toMatchObject({ passed: false, want: 'Drop', got: 'Accept', rules: [['acls', 1]] })
    expect(result?.reason).toContain('acls[1]')
  })

  test('a destination host reached through a subnet rule is tested by its address', () => {
    const policy = {
      grants: [{ src: ['group:dev'], dst: ['lan'], ip: ['tcp:445'] }],
      tests: [{ src: 'group:dev', accept: ['nas:445', '192.168.1.20:445'], deny: ['nas:22'] }],
    }
    expect(verdicts(run(policy))).toEqual(['nas:445:pass', '192.168.1.20:445:pass', 'nas:22:pass'])
  })

  test('proto narrows the test; without it TCP or UDP is enough', () => {
    const policy = {
      acls: [{ action: 'accept', src: ['group:dev'], dst: ['tag:web:53'], proto: 'udp' }],
      tests: [
        { src: 'group:dev', accept: ['tag:web:53'] },
        { src: 'group:dev', proto: 'udp', accept: ['tag:web:53'] },
        { src: 'group:dev', proto: 'tcp', deny: ['tag:web:53'] },
      ],
    }
    expect(run(policy).map((r) => r.passed)).toEqual([true, true, true])
  })

  test('autogroup:self lets a user reach their own devices and not others’', () => {
    const policy = {
      acls: [{ action: 'accept', src: ['autogroup:member'], dst: ['autogroup:self:22'] }],
      tests: [{ src: 'alice@example.com', accept: ['alice@example.com:22'], deny: ['bob@example.com:22'] }],
    }
    expect(verdicts(run(policy))).toEqual(['alice@example.com:22:pass', 'bob@example.com:22:pass'])
  })

  test.each([
    ['a port list', 'tag:web:22,80'],
    ['a port range', 'tag:web:20-30'],
    ['a wildcard port', 'tag:web:*'],
    ['a CIDR', '100.64.0.0/10:22'],
    ['a host standing for a subnet', 'lan:22'],
    ['autogroup:internet', 'autogroup:internet:443'],
    ['an unknown tag', 'tag:nope:22'],
  ])('%s as destination fails even when the rules allow everything', (_, dst) => {
    const policy = { acls: [{ action: 'accept', src: ['*'], dst: ['*:*'] }], tests: [{ src: 'alice@example.com', accept: [dst] }] }
    expect(run(policy)[0]?.passed).toBe(false)
  })

  test.each([['', 'an empty source'], ['ghost@example.com', 'a user not in the tailnet'], ['group:nobody', 'an undefined group'], ['*', 'a wildcard']])(
    'source %j (%s) fails the test',
    (src) => {
      const policy = { acls: [{ action: 'accept', src: ['*'], dst: ['*:*'] }], tests: [{ src, accept: ['tag:web:22'] }] }
      expect(run(policy)[0]?.passed).toBe(false)
    },
  )

  test('a user outside the tailnet reaches nothing: accept fails, deny holds', () => {
    const policy = { acls: [{ action: 'accept', src: ['autogroup:member'], dst: ['tag:web:80'] }], tests: [{ src: 'stranger@elsewhere.org', accept: ['tag:web:80'], deny: ['tag:web:80'] }] }
    const results = run(policy)
    expect(results.map((r) => r.passed)).toEqual([false, true])
    expect(results[0]?.reason).toContain('not a user of the tailnet')
  })

  test('a test with neither accept nor deny fails at the test itself', () => {
    const [result] = run({ tests: [{ src: 'alice@example.com' }] })
    expect(result).toMatchObject({ passed: false, path: ['tests', 0] })
  })

  test('legacy `user` and `allow` spellings are read', () => {
    const policy = { acls: [{ action: 'accept', src: ['bob@example.com'], dst: ['tag:web:80'] }], tests: [{ user: 'bob@example.com', allow: ['tag:web:80'] }] }
    expect(run(policy)).toMatchObject([{ passed: true, path: ['tests', 0, 'allow', 0] }])
  })

  test('a Service destination is reached by rules that name it', () => {
    const policy = {
      grants: [{ src: ['bob@example.com'], dst: ['svc:wiki'], ip: ['tcp:443'] }],
      tests: [{ src: 'bob@example.com', accept: ['svc:wiki:443'], deny: ['svc:other:443'] }],
    }
    expect(run(policy).map((r) => r.passed)).toEqual([true, true])
  })
})

describe('runTests: sshTests', () => {
  const ssh = (rules: TailnetPolicy['ssh'], tests: TailnetPolicy['sshTests']): TestResult[] => run({ ssh: rules ?? [], sshTests: tests ?? [] })

  test('accept, check and deny are judged on the rules the destination receives', () => {
    // GIVEN
    const results = ssh(
      [
        { action: 'accept', src: ['group:dev'], dst: ['tag:web'], users: ['deploy'] },
        { action: 'check', src: ['group:dev'], dst: ['tag:web'], users: ['root'] },
      ],
      [{ src: 'alice@example.com', dst: ['tag:web'], accept: ['deploy'], check: ['root'], deny: ['postgres'] }],
    )
    // THEN
    expect(results.map((r) => `${r.login}:${r.passed}`)).toEqual(['deploy:true', 'root:true', 'postgres:true'])
  })

  test('accept is not satisfied by a check rule, and says what happened instead', () => {
    const [result] = ssh([{ action: 'check', src: ['group:dev'], dst: ['tag:web'], users: ['root'] }], [{ src: 'bob@example.com', dst: ['tag:web'], accept: ['root'] }])
    expect(result).toMatchObject({ passed: false, want: 'Accept', got: 'Check', path: ['sshTests', 0, 'accept', 0], rules: [['ssh', 0]] })
  })

  test('a failing deny names the SSH rule that lets the login in', () => {
    const [result] = ssh(
      [
        { action: 'accept', src: ['tag:db'], dst: ['tag:web'], users: ['root'] },
        { action: 'accept', src: ['bob@example.com'], dst: ['tag:web'], users: ['root'] },
      ],
      [{ src: 'bob@example.com', dst: ['tag:web'], deny: ['root'] }],
    )
    expect(result).toMatchObject({ passed: false, want: 'Drop', got: 'Accept', rules: [['ssh', 1]] })
    expect(result?.reason).toContain('by ssh[1]')
  })

  test('network rules do not make an SSH test pass', () => {
    const results = run({ acls: [{ action: 'accept', src: ['*'], dst: ['*:22'] }], sshTests: [{ src: 'bob@example.com', dst: ['tag:web'], accept: ['root'] }] })
    expect(results[0]?.passed).toBe(false)
  })

  test('a device address names the device; autogroup:self rules let users into their own devices', () => {
    const results = ssh(
      [{ action: 'accept', src: ['autogroup:member'], dst: ['autogroup:self'], users: ['autogroup:nonroot'] }],
      [{ src: 'alice@example.com', dst: ['100.64.0.2', 'alice@example.com'], accept: ['alice'], deny: ['root'] }, { src: 'bob@example.com', dst: ['100.64.0.1'], deny: ['bob'] }],
    )
    expect(results.every((r) => r.passed)).toBe(true)
  })

  test('an empty login and a destination that is no device fail', () => {
    const results = ssh([{ action: 'accept', src: ['group:dev'], dst: ['tag:web'], users: ['root'] }], [{ src: 'bob@example.com', dst: ['tag:web', 'nas'], accept: ['', 'root'] }])
    expect(results.map((r) => r.passed)).toEqual([false, false, true, false])
  })
})

describe('runTests: groups and autogroups are played by a representative member', () => {
  test('a group’s test is not widened by what one of its members is granted elsewhere', () => {
    // GIVEN alice is an admin with access to everything, and group:dev only to port 443
    const policy = {
      groups: { 'group:dev': ['alice@example.com', 'bob@example.com'], 'group:admin': ['alice@example.com'] },
      acls: [
        { action: 'accept', src: ['group:admin'], dst: ['*:*'] },
        { action: 'accept', src: ['group:dev'], dst: ['tag:web:443'] },
      ],
      tests: [{ src: 'group:dev', accept: ['tag:web:443'], deny: ['tag:web:22'] }],
    }
    // WHEN
    const results = run(policy)
    // THEN
    expect(results.map((r) => r.passed)).toEqual([true, true])
  })

  test('an empty group still has a representative, so its tests run', () => {
    const policy = {
      groups: { 'group:ops': [] },
      acls: [{ action: 'accept', src: ['group:ops'], dst: ['tag:db:5432'] }],
      tests: [{ src: 'group:ops', accept: ['tag:db:5432'], deny: ['tag:web:5432'] }],
    }
    expect(run(policy).map((r) => r.passed)).toEqual([true, true])
  })

  test('autogroup:member as a source is a member with no other grant', () => {
    const policy = {
      acls: [
        { action: 'accept', src: ['autogroup:member'], dst: ['tag:web:80'] },
        { action: 'accept', src: ['alice@example.com'], dst: ['tag:web:22'] },
      ],
      tests: [{ src: 'autogroup:member', accept: ['tag:web:80'], deny: ['tag:web:22'] }],
    }
    expect(run(policy).map((r) => r.passed)).toEqual([true, true])
  })
})
