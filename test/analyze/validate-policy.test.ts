import { describe, expect, test } from 'vitest'
import { validatePolicy } from '../../src/analyze/validate-policy.js'
import type { Diagnostic } from '../../src/model/diagnostic.js'

const tagOwners = { 'tag:server': ['alice@example.com'], 'tag:router': ['alice@example.com'] }
const groups = { 'group:eng': ['alice@example.com', 'bob@example.com'] }
const hosts = { db: '100.64.0.10', lan: '10.0.0.0/16' }
const base = { tagOwners, groups, hosts }

function errors(policy: unknown, tailnet?: string): Diagnostic[] {
  return validatePolicy(policy, tailnet === undefined ? {} : { tailnet }).diagnostics.filter((d) => d.severity === 'error')
}

describe('validatePolicy accepts what Tailscale accepts', () => {
  test.each([
    ['an allow-all grant', { grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }] }],
    ['the legacy allow-all ACL', { acls: [{ action: 'accept', users: ['*'], ports: ['*:*'] }] }],
    ['ACL `*` to its own devices', { acls: [{ action: 'accept', src: ['*'], dst: ['autogroup:self:*'] }] }],
    ['users and groups to their own devices', { ...base, grants: [{ src: ['group:eng', 'autogroup:member', 'carol@example.com'], dst: ['autogroup:self'], ip: ['22'] }] }],
    ['grant ip forms', { ...base, grants: [{ src: ['*'], dst: ['tag:server'], ip: ['443', '80-90', 'tcp:22', 'udp:53', 'icmp:*', '47:*', '*:8096'] }] }],
    ['hosts, CIDRs and IPv6 destinations', { ...base, acls: [{ action: 'accept', src: ['db', '100.64.0.1'], dst: ['lan:22', '[fd7a:115c:a1e0::1]:443', '10.1.0.0/16:*'] }] }],
    ['via tags and app capabilities', { ...base, grants: [{ src: ['*'], dst: ['10.0.0.0/16'], ip: ['*'], via: ['tag:router'] }, { src: ['group:eng'], dst: ['tag:server'], app: { 'example.com/cap/admin': [{}], 'tailscale.com/cap/drive': [{ shares: ['*'] }] } }] }],
    ['an SSH check rule', { ...base, ssh: [{ action: 'check', src: ['autogroup:member'], dst: ['autogroup:self'], users: ['autogroup:nonroot', 'root'], checkPeriod: '20h', acceptEnv: ['GIT_*'] }] }],
    ['SSH from hosts names and addresses', { ...base, ssh: [{ action: 'accept', src: ['db', '100.64.0.7'], dst: ['tag:server'], users: ['root'] }] }],
    ['SSH from a user to the same user', { ssh: [{ action: 'accept', src: ['alice@example.com'], dst: ['alice@example.com'], users: ['root'] }] }],
    ['SSH checkPeriod always and 0s', { ...base, ssh: [{ action: 'check', src: ['group:eng'], dst: ['tag:server'], users: ['root'], checkPeriod: 'always' }, { action: 'check', src: ['group:eng'], dst: ['tag:server'], users: ['root'], checkPeriod: '0s' }] }],
    ['literal SSH logins that look like selectors', { ...base, ssh: [{ action: 'accept', src: ['group:eng'], dst: ['tag:server'], users: ['localpart:foo', 'group:foo', 'localpart:*@'] }] }],
    ['tag owner cycles', { tagOwners: { 'tag:a': ['tag:b'], 'tag:b': ['tag:a'] } }],
    ['an empty group and a synced group', { groups: { 'group:empty': [] }, grants: [{ src: ['group:sec@example.com'], dst: ['*'], ip: ['*'] }] }],
    ['nodeAttrs with an IP pool spanning a reserved block', { nodeAttrs: [{ target: ['autogroup:member'], ipPool: ['100.96.0.0/11'] }, { target: ['*'], attr: ['funnel'] }] }],
    ['autoApprovers of routes, exit nodes and services', { ...base, autoApprovers: { routes: { '10.0.0.0/16': ['tag:router', 'group:eng'] }, exitNode: ['autogroup:admin'], services: { 'svc:web': ['tag:server'], 'tag:server': ['tag:server'] } } }],
    ['ipsets with add, remove, hosts and nested sets', { hosts, ipsets: { 'ipset:a': ['add 10.0.0.0/8', 'remove 10.1.0.0/16', 'add host:db'], 'ipset:b': ['ipset:a', '192.0.2.4-192.0.2.12'] }, grants: [{ src: ['ipset:b'], dst: ['*'], ip: ['*'] }] }],
    ['postures', { postures: { 'posture:mac': ["node:os IN ['macos']"] }, defaultSrcPosture: ['posture:mac'], grants: [{ src: ['*'], dst: ['*'], ip: ['*'], srcPosture: ['posture:mac'] }] }],
    ['legacy test fields', { ...base, tests: [{ user: 'alice@example.com', allow: ['tag:server:22'] }] }],
    ['test entries Tailscale only fails when it runs them', { ...base, tests: [{ src: 'tag:phantom', accept: ['10.0.0.0/8:22', 'db:80,443'] }, { src: '' }] }],
    ['network-wide options and a capitalised derpMap', { disableIPv4: false, randomizeClientPort: true, OneCGNATRoute: 'mac-always', derpMap: { OmitDefaultRegions: true, Regions: { '900': { RegionID: 900, RegionCode: 'x', Nodes: [{ Name: '900a', RegionID: 900, HostName: 'derp.example.com' }] } } } }],
    ['null fields', { acls: null, grants: [{ src: ['*'], dst: ['*'], ip: ['*'], via: null }] }],
  ])('GIVEN %s WHEN validated THEN there is no error', (_name, policy) => {
    // WHEN
    const result = validatePolicy(policy)
    // THEN
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(result.policy).toBeDefined()
  })
})

describe('validatePolicy rejects with Tailscale’s words', () => {
  test.each([
    ['undefined tag in an ACL source', { acls: [{ action: 'accept', src: ['tag:nope'], dst: ['*:*'] }] }, 'src=tag not found: "tag:nope"', ['acls', 0, 'src', 0]],
    ['undefined tag in an ACL destination', { acls: [{ action: 'accept', src: ['*'], dst: ['tag:nope:22'] }] }, 'dst="tag:nope": tag not found: "tag:nope"', ['acls', 0, 'dst', 0]],
    ['undefined via tag', { ...base, grants: [{ src: ['*'], dst: ['*'], ip: ['*'], via: ['tag:nope'] }] }, 'tag "tag:nope" not found', ['grants', 0, 'via', 0]],
    ['undefined nodeAttrs tag', { nodeAttrs: [{ target: ['tag:nope'], attr: ['funnel'] }] }, 'tag not found: "tag:nope"', ['nodeAttrs', 0, 'target', 0]],
    ['a nodeAttrs target that is no address', { nodeAttrs: [{ target: ['%bogus%'], attr: ['funnel'] }] }, '"%bogus%": invalid address', ['nodeAttrs', 0, 'target', 0]],
    ['an IP pool inside a reserved block', { nodeAttrs: [{ target: ['*'], ipPool: ['100.100.100.0/24'] }] }, 'IPPool(100.100.100.0/24): network within reserved range', ['nodeAttrs', 0, 'ipPool', 0]],
    ['a tag name starting with a non-letter', { tagOwners: { 'tag:1web': [] } }, `tagOwners["tag:1web"]: tag names must start with a letter, after 'tag:'`, ['tagOwners', 'tag:1web']],
    ['a nested group', { groups: { 'group:outer': ['group:inner'], 'group:inner': ['a@example.com'] } }, 'groups["group:outer"]: "group:inner": group members cannot be recursive', ['groups', 'group:outer', 0]],
    ['an ACL deny', { acls: [{ action: 'deny', src: ['*'], dst: ['*:*'] }] }, 'action="deny" is not supported', ['acls', 0, 'action']],
    ['autogroup:self as a source', { acls: [{ action: 'accept', src: ['autogroup:self'], dst: ['*:*'] }] }, '"autogroup:self" not valid on the src side of a rule', ['acls', 0, 'src', 0]],
    ['a tag towards autogroup:self', { ...base, acls: [{ action: 'accept', src: ['tag:server'], dst: ['autogroup:self:*'] }] }, 'autogroup:self can only be used with users, groups, or supported autogroups', ['acls', 0, 'src', 0]],
    ['a grant from * to autogroup:self', { grants: [{ src: ['*'], dst: ['autogroup:self'], ip: ['*'] }] }, 'autogroup:self can only be used with users, groups, or supported autogroups', ['grants', 0, 'src', 0]],
    ['an ACL destination without ports', { acls: [{ action: 'accept', src: ['*'], dst: ['autogroup:self'] }] }, 'dst="autogroup:self": port range "self": invalid first integer', ['acls', 0, 'dst', 0]],
    ['a named port', { ...base, acls: [{ action: 'accept', src: ['*'], dst: ['tag:server:ssh'] }] }, 'dst="tag:server:ssh": port range "ssh": invalid first integer', ['acls', 0, 'dst', 0]],
    ['a bare protocol in grant ip', { grants: [{ src: ['*'], dst: ['*'], ip: ['icmp'] }] }, 'port range "icmp": invalid first integer', ['grants', 0, 'ip', 0]],
    ['port 0', { grants: [{ src: ['*'], dst: ['*'], ip: ['tcp:0'] }] }, `port range "0": first port must be >0, or use '*' for wildcard`, ['grants', 0, 'ip', 0]],
    ['a grant without ip or app', { grants: [{ src: ['*'], dst: ['*'], app: {} }] }, 'ip and app can not both be empty', ['grants', 0]],
    ['via that is not a tag', { grants: [{ src: ['*'], dst: ['*'], ip: ['*'], via: ['router-1'] }] }, 'via can only be a tag', ['grants', 0, 'via', 0]],
    ['an app capability with a scheme', { grants: [{ src: ['*'], dst: ['*'], app: { 'https://example.com/cap/x': [{}] } }] }, 'capability name must have the form {domain}/{path}', ['grants', 0, 'app', 'https://example.com/cap/x']],
    ['a reserved app capability', { grants: [{ src: ['*'], dst: ['*'], app: { 'tailscale.com/cap/ingress': [{}] } }] }, 'capability name must not be in the tailscale.com domain', ['grants', 0, 'app', 'tailscale.com/cap/ingress']],
    ['app capabilities towards the internet', { grants: [{ src: ['*'], dst: ['autogroup:internet'], app: { 'example.com/cap/x': [{}] } }] }, 'cannot use app grants with autogroup:internet', ['grants', 0, 'app']],
    ['a default route as grant destination', { grants: [{ src: ['*'], dst: ['::/0'], ip: ['*'] }] }, 'dst "::/0": to allow all IP addresses, use "*" or "autogroup:internet"', ['grants', 0, 'dst', 0]],
    ['danger-all as destination', { grants: [{ src: ['*'], dst: ['autogroup:danger-all'], ip: ['*'] }] }, 'cannot use autogroup:danger-all as a dst', ['grants', 0, 'dst', 0]],
    ['a capitalised SSH action', { ...base, ssh: [{ action: 'Accept', src: ['group:eng'], dst: ['tag:server'], users: ['root'] }] }, '"Accept" is not a valid action', ['ssh', 0, 'action']],
    ['an SSH rule without action', { ...base, ssh: [{ src: ['group:eng'], dst: ['tag:server'], users: ['root'] }] }, 'action must be specified', ['ssh', 0, 'action']],
    ['an SSH rule without users', { ...base, ssh: [{ action: 'accept', src: ['group:eng'], dst: ['tag:server'], users: [] }] }, 'users must be specified', ['ssh', 0, 'users']],
    ['the SSH user *', { ...base, ssh: [{ action: 'accept', src: ['group:eng'], dst: ['tag:server'], users: ['root', '*'] }] }, 'user "*" is not valid', ['ssh', 0, 'users', 1]],
    ['a blank SSH user', { ...base, ssh: [{ action: 'accept', src: ['group:eng'], dst: ['tag:server'], users: [' '] }] }, 'user "" is not valid', ['ssh', 0, 'users', 0]],
    ['a negative check period', { ...base, ssh: [{ action: 'check', src: ['group:eng'], dst: ['tag:server'], users: ['root'], checkPeriod: '-1m' }] }, 'checkPeriod -1m0s must be a positive duration', ['ssh', 0, 'checkPeriod']],
    ['a check period over a week', { ...base, ssh: [{ action: 'check', src: ['group:eng'], dst: ['tag:server'], users: ['root'], checkPeriod: '200h' }] }, 'checkPeriod 200h0m0s is above the max (168h)', ['ssh', 0, 'checkPeriod']],
    ['a malformed check period', { ...base, ssh: [{ action: 'check', src: ['group:eng'], dst: ['tag:server'], users: ['root'], checkPeriod: 'abc' }] }, 'time: invalid duration "abc"', ['ssh', 0, 'checkPeriod']],
    ['an undefined session recorder', { ...base, ssh: [{ action: 'accept', src: ['group:eng'], dst: ['tag:server'], users: ['root'], recorder: ['tag:rec'] }] }, 'tag not found: "tag:rec"', ['ssh', 0, 'recorder', 0]],
    ['an empty acceptEnv entry', { ...base, ssh: [{ action: 'accept', src: ['group:eng'], dst: ['tag:server'], users: ['root'], acceptEnv: [''] }] }, 'acceptEnv values cannot be empty', ['ssh', 0, 'acceptEnv', 0]],
    ['a hosts name as SSH destination', { ...base, ssh: [{ action: 'accept', src: ['group:eng'], dst: ['db'], users: ['root'] }] }, 'invalid dst "db"', ['ssh', 0, 'dst', 0]],
    ['a CIDR as SSH test destination', { ...base, sshTests: [{ src: 'alice@example.com', dst: ['100.64.0.0/24'], accept: ['root'] }] }, 'SSH tests dst contains disallowed element "100.64.0.0/24"', ['sshTests', 0, 'dst', 0]],
    ['a port on an SSH test destination', { ...base, sshTests: [{ src: 'alice@example.com', dst: ['tag:server:22'], accept: ['root'] }] }, 'SSH tests dst contains unknown tag "tag:server:22"', ['sshTests', 0, 'dst', 0]],
    ['an unknown top-level key', { grants: [], rules: [] }, 'json: unknown field "rules"', ['rules']],
    ['an unknown key in a rule', { acls: [{ action: 'accept', src: ['*'], dst: ['*:*'], port: ['22'] }] }, 'json: unknown field "port"', ['acls', 0, 'port']],
    ['a string where a list belongs', { grants: [{ src: '*', dst: ['*'], ip: ['*'] }] }, '`grants[0].src` must be an array, not a string ("*")', ['grants', 0, 'src']],
    ['both member autogroups', { grants: [{ src: ['autogroup:member'], dst: ['*'], ip: ['*'] }, { src: ['autogroup:members'], dst: ['*'], ip: ['*'] }] }, 'cannot use both `autogroup:member` and `autogroup:members` in the same policy file', ['grants', 1, 'src', 0]],
    ['both src and legacy users', { acls: [{ action: 'accept', src: ['*'], users: ['*'], dst: ['*:*'] }] }, 'only one of `src` and the legacy `users` may be specified', ['acls', 0, 'users']],
  ])('GIVEN %s WHEN validated THEN the error reads %j', (_name, policy, message, path) => {
    // WHEN
    const result = validatePolicy(policy)
    // THEN
    expect(result.policy).toBeUndefined()
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message, path }))
  })
})

describe('validatePolicy and the tailnet domain', () => {
  const domainRules = {
    ...base,
    ssh: [
      { action: 'accept', src: ['user:*@example.org'], dst: ['tag:server'], users: ['root'] },
      { action: 'accept', src: ['autogroup:member'], dst: ['tag:server'], users: ['localpart:*@example.org'] },
    ],
  }

  test('GIVEN domain selectors of another domain WHEN the tailnet is known THEN both are rejected in Tailscale’s words', () => {
    // WHEN
    const messages = errors(domainRules, 'alice@example.com').map((d) => d.message)
    // THEN
    expect(messages).toEqual([
      '[ssh] example.org is not associated with this Tailnet and cannot be used in user:*@<domain> expressions',
      'example.org is not associated with this Tailnet and cannot be used in user:*@<domain> expressions',
    ])
  })

  test('GIVEN the same rules WHEN the tailnet is not known THEN nothing is rejected', () => {
    expect(errors(domainRules)).toEqual([])
  })

  test('GIVEN the tailnet’s own domain WHEN validated THEN it is accepted', () => {
    const own = { ...base, grants: [{ src: ['user:*@example.com'], dst: ['tag:server'], ip: ['22'] }] }
    expect(errors(own, 'example.com')).toEqual([])
  })
})

describe('validatePolicy reports everything, located and with help', () => {
  test('GIVEN several problems WHEN validated THEN each is reported, not just the first', () => {
    // GIVEN
    const policy = { ...base, acls: [{ action: 'accept', src: ['tag:servr'], dst: ['group:engg:22'] }], grants: [{ src: ['*'], dst: ['*'] }] }
    // WHEN
    const found = errors(policy)
    // THEN
    expect(found.map((d) => d.code)).toEqual(['unknown-tag', 'unknown-group', 'empty-grant'])
    expect(found[0]).toMatchObject({ path: ['acls', 0, 'src', 0], hint: 'did you mean `tag:server`?' })
    expect(found[1]).toMatchObject({ message: 'dst="group:engg": group not defined in policy: "group:engg"', hint: 'did you mean `group:eng`?' })
  })

  test('GIVEN a grant destination with a port WHEN validated THEN the hint says ports go in ip', () => {
    const [found] = errors({ ...base, grants: [{ src: ['*'], dst: ['tag:server:443'], ip: ['*'] }] })
    expect(found).toMatchObject({ message: 'dst=tag not found: "tag:server:443"', hint: expect.stringContaining('ports go in `ip`') })
  })

  test('GIVEN keys in another case WHEN validated THEN they are read as Tailscale reads them, with a warning', () => {
    // GIVEN
    const policy = { ACLs: [{ Action: 'accept', Src: ['*'], Dst: ['*:*'] }], autoapprovers: { exitNode: ['autogroup:admin'] } }
    // WHEN
    const result = validatePolicy(policy)
    // THEN
    expect(result.policy).toEqual({ acls: [{ action: 'accept', src: ['*'], dst: ['*:*'] }], autoApprovers: { exitNode: ['autogroup:admin'] } })
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toContainEqual(['warning', 'key-case'])
  })

  test('GIVEN a misspelt key WHEN validated THEN the hint names the key it resembles', () => {
    const [found] = errors({ grants: [{ src: ['*'], dst: ['*'], ips: ['*'] }] })
    expect(found).toMatchObject({ code: 'unknown-field', hint: 'did you mean `ip`?' })
  })

  test('GIVEN a policy that is not an object WHEN validated THEN it is one located error', () => {
    expect(validatePolicy([])).toEqual({ policy: undefined, diagnostics: [expect.objectContaining({ code: 'invalid-type', path: [] })] })
  })

  test('GIVEN badly typed parts WHEN validated THEN the well-typed rest is still checked', () => {
    // GIVEN
    const policy = { acls: [{ action: 'accept', src: 'oops', dst: ['tag:nope:22'] }] }
    // WHEN
    const codes = errors(policy).map((d) => d.code)
    // THEN
    expect(codes).toEqual(['invalid-type', 'unknown-tag'])
  })
})
