import { describe, expect, test } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import type { Inventory } from '../../src/model/inventory.js'
import { sshDecision, sshRulesFor, type SshRuleOut } from '../../src/analyze/ssh-rules.js'

// alice and bob own a laptop each; alice also owns a desktop; two tagged servers
const inventory: Inventory = {
  tailnet: 'example.com',
  users: [
    { id: 1, name: 'alice', email: 'alice@example.com' },
    { id: 2, name: 'bob', email: 'bob@other.org' },
  ],
  nodes: [
    { name: 'alice-laptop', user: 'alice', tags: [], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
    { name: 'alice-desktop', user: 'alice', tags: [], ipv4: '100.64.0.2', ipv6: 'fd7a:115c:a1e0::2' },
    { name: 'bob-laptop', user: 'bob', tags: [], ipv4: '100.64.0.3', ipv6: 'fd7a:115c:a1e0::3' },
    { name: 'web', tags: ['tag:web'], ipv4: '100.64.0.10', ipv6: 'fd7a:115c:a1e0::a' },
    { name: 'db', tags: ['tag:db', 'tag:web'], ipv4: '100.64.0.11', ipv6: 'fd7a:115c:a1e0::b' },
  ],
}

const withSsh = (...ssh: TailnetPolicy['ssh'] & object): TailnetPolicy => ({ tagOwners: { 'tag:web': [], 'tag:db': [] }, ssh })

const principals = (rule: SshRuleOut | undefined): string[] => (rule?.principals ?? []).map((p) => p.nodeIP).sort()

describe('sshRulesFor', () => {
  test('a rule to a tag reaches only that tag’s devices, with every source address as a principal', () => {
    // GIVEN
    const policy = withSsh({ action: 'accept', src: ['alice@example.com'], dst: ['tag:db'], users: ['ubuntu'] })
    // WHEN
    const rules = sshRulesFor(policy, inventory)
    // THEN
    expect(rules['web']).toEqual([])
    expect(rules['db']).toHaveLength(1)
    expect(principals(rules['db']?.[0])).toEqual(['100.64.0.1', '100.64.0.2', 'fd7a:115c:a1e0::1', 'fd7a:115c:a1e0::2'])
    // root is refused explicitly when not listed, so a `*` mapping cannot let it in
    expect(rules['db']?.[0]?.sshUsers).toEqual({ root: '', ubuntu: 'ubuntu' })
    expect(rules['db']?.[0]?.action).toEqual({ accept: true, allowAgentForwarding: true, allowLocalPortForwarding: true, allowRemotePortForwarding: true })
  })

  test('autogroup:self gives each user’s devices a rule from that user’s own devices only', () => {
    // GIVEN
    const policy = withSsh({ action: 'accept', src: ['autogroup:member'], dst: ['autogroup:self'], users: ['root', 'autogroup:nonroot'] })
    // WHEN
    const rules = sshRulesFor(policy, inventory)
    // THEN
    expect(principals(rules['alice-desktop']?.[0])).toEqual(['100.64.0.1', '100.64.0.2', 'fd7a:115c:a1e0::1', 'fd7a:115c:a1e0::2'])
    expect(principals(rules['bob-laptop']?.[0])).toEqual(['100.64.0.3', 'fd7a:115c:a1e0::3'])
    expect(rules['bob-laptop']?.[0]?.sshUsers).toEqual({ '*': '=', root: 'root' })
    expect(rules['web']).toEqual([])
  })

  test('check rules come before accept rules whatever their order in the policy', () => {
    // GIVEN
    const policy = withSsh(
      { action: 'accept', src: ['bob@other.org'], dst: ['tag:web'], users: ['root'] },
      { action: 'check', src: ['bob@other.org'], dst: ['tag:web'], users: ['root'] },
    )
    // WHEN
    const rules = sshRulesFor(policy, inventory)['web'] ?? []
    // THEN
    expect(rules.map((r) => ('holdAndDelegate' in r.action ? 'check' : 'accept'))).toEqual(['check', 'accept'])
  })

  test('localpart logins map each matching user’s local part in a rule of its own, after that user’s common rule', () => {
    // GIVEN
    const policy = withSsh({ action: 'accept', src: ['autogroup:member'], dst: ['tag:web'], users: ['localpart:*@example.com'] })
    // WHEN
    const rules = sshRulesFor(policy, inventory)['web'] ?? []
    // THEN
    expect(rules.map((r) => r.sshUsers)).toEqual([{ root: '' }, { alice: 'alice' }, { root: '' }])
    expect(principals(rules[1])).toEqual(['100.64.0.1', '100.64.0.2', 'fd7a:115c:a1e0::1', 'fd7a:115c:a1e0::2'])
    expect(principals(rules[2])).toEqual(['100.64.0.3', 'fd7a:115c:a1e0::3'])
  })

  test('localpart logins also reach the source’s own devices, as Tailscale sends them', () => {
    // GIVEN
    const policy = withSsh({ action: 'accept', src: ['alice@example.com'], dst: ['tag:web'], users: ['localpart:*@example.com'] })
    // WHEN
    const rules = sshRulesFor(policy, inventory)
    // THEN
    expect(rules['alice-laptop']?.map((r) => r.sshUsers)).toEqual([{ root: '' }, { alice: 'alice' }])
    expect(rules['bob-laptop']).toEqual([])
  })

  test('acceptEnv is passed through only when the rule has it', () => {
    // GIVEN
    const policy = withSsh(
      { action: 'accept', src: ['bob@other.org'], dst: ['tag:web'], users: ['root'], acceptEnv: ['GIT_*'] },
      { action: 'accept', src: ['alice@example.com'], dst: ['tag:web'], users: ['root'] },
    )
    // WHEN
    const rules = sshRulesFor(policy, inventory)['web'] ?? []
    // THEN
    expect(rules[0]?.acceptEnv).toEqual(['GIT_*'])
    expect(rules[1]).not.toHaveProperty('acceptEnv')
  })

  test('a rule whose sources name no device sends nothing', () => {
    const policy = withSsh({ action: 'accept', src: ['group:nobody'], dst: ['tag:web'], users: ['root'] })
    expect(sshRulesFor(policy, inventory)['web']).toEqual([])
  })
})

describe('sshDecision', () => {
  test('the first rule that maps the login decides; an empty mapping falls through', () => {
    // GIVEN
    const policy = withSsh(
      { action: 'check', src: ['bob@other.org'], dst: ['tag:web'], users: ['deploy'] },
      { action: 'accept', src: ['bob@other.org'], dst: ['tag:web'], users: ['root', 'autogroup:nonroot'] },
    )
    const rules = sshRulesFor(policy, inventory)['web'] ?? []
    // THEN
    expect(sshDecision(rules, '100.64.0.3', 'deploy')?.action).toBe('check')
    expect(sshDecision(rules, '100.64.0.3', 'root')?.action).toBe('accept')
    expect(sshDecision(rules, '100.64.0.3', 'anyone')).toMatchObject({ action: 'accept', localUser: 'anyone' })
    expect(sshDecision(rules, '100.64.0.1', 'root')).toBeUndefined()
  })
})
