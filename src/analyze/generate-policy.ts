import type { AclRule, Grant, PolicyTest, SshRule, SshTest, TailnetPolicy } from '../compile/tailnet-policy.js'
import type { Inventory, InventoryNode, InventoryUser } from '../model/inventory.js'

/**
 * Seeded synthetic tailnet policies for the benchmark and for property tests: the same size and seed
 * always give the same policy, byte for byte. Every generated test holds against the generated rules, so
 * `check` of a generated policy passes and a benchmark measures the work of a passing check (the common
 * case on a PR): accept tests are drawn from a rule's own src × dst × port, deny tests probe ports
 * ≥ {@link DENIED_PORT_FLOOR}, which no generated rule opens.
 */
export interface PolicySize {
  readonly tags: number
  readonly groups: number
  readonly users: number
  readonly hosts: number
  readonly acls: number
  readonly grants: number
  readonly sshRules: number
  readonly tests: number
  readonly sshTests: number
}

export type PolicySizeName = 'S' | 'M' | 'L' | 'XL'

/** M and L as issue 8 names them; XL is ten times L in every count, so L→XL measures growth at 10× input. */
export const policySizes: Readonly<Record<Exclude<PolicySizeName, 'S'>, PolicySize>> = {
  M: { tags: 200, groups: 50, users: 400, hosts: 20, acls: 200, grants: 250, sshRules: 50, tests: 5_000, sshTests: 100 },
  L: { tags: 2_000, groups: 500, users: 4_000, hosts: 200, acls: 2_000, grants: 2_500, sshRules: 500, tests: 50_000, sshTests: 1_000 },
  XL: { tags: 20_000, groups: 5_000, users: 40_000, hosts: 2_000, acls: 20_000, grants: 25_000, sshRules: 5_000, tests: 500_000, sshTests: 10_000 },
}

/** Rules never open a port at or above this, so a deny test on such a port holds by construction. */
export const DENIED_PORT_FLOOR = 60_000

/** The number of rules (`acls` + `grants` + `ssh`) a size produces. */
export function ruleCount(size: PolicySize): number {
  return size.acls + size.grants + size.sshRules
}

/** `S` is the seed example (three ACL rules) with its tag owners and tests; other sizes are synthetic. */
export function generatePolicy(size: PolicySizeName | PolicySize, seed = 1): TailnetPolicy {
  if (size === 'S') return seedExample()
  return new Generator(typeof size === 'string' ? policySizes[size] : size, seed).policy()
}

/**
 * An inventory of `devices` devices for a generated policy: every user the policy names, and devices
 * spread over its tags (some carrying two) and users, numbered in the CGNAT range like a real tailnet.
 */
export function generateInventory(policy: TailnetPolicy, devices: number, seed = 1): Inventory {
  const random = mulberry32(seed ^ 0x5eed)
  const tags = Object.keys(policy.tagOwners ?? {})
  const emails = [...new Set(Object.values(policy.groups ?? {}).flat())].sort()
  const users: InventoryUser[] = emails.map((email, i) => ({ id: i + 1, name: email.split('@')[0]!, email }))
  const nodes: InventoryNode[] = []
  for (let i = 0; i < devices; i++) {
    const address = i + 1
    const ipv4 = `100.${64 + (address >> 16)}.${(address >> 8) & 255}.${address & 255}`
    const ipv6 = `fd7a:115c:a1e0::${address.toString(16)}`
    const tagged = tags.length > 0 && (users.length === 0 || random() < 0.6)
    if (tagged) {
      const first = pick(random, tags)
      const nodeTags = random() < 0.2 ? [...new Set([first, pick(random, tags)])].sort() : [first]
      nodes.push({ name: `node-${address}`, tags: nodeTags, ipv4, ipv6 })
    } else {
      nodes.push({ name: `node-${address}`, user: pick(random, users).name, tags: [], ipv4, ipv6 })
    }
  }
  return { tailnet: 'example.com', users, nodes }
}

/**
 * `policy` with a `fraction` of its acls and grants changed, evenly spread: each changed rule opens one
 * other port instead of its first one, so a diff sees access both narrowed and broadened.
 */
export function changeRules(policy: TailnetPolicy, fraction: number, seed = 1): TailnetPolicy {
  const random = mulberry32(seed ^ 0xd1ff)
  const total = (policy.acls?.length ?? 0) + (policy.grants?.length ?? 0)
  const every = Math.max(1, Math.round(1 / fraction))
  const offset = Math.floor(random() * every)
  const changed = (index: number): boolean => index % every === offset && index < total
  const otherPort = (): number => 1 + Math.floor(random() * (DENIED_PORT_FLOOR - 1))
  const acls = (policy.acls ?? []).map((rule, i) => {
    if (!changed(i)) return rule
    const port = otherPort()
    return { ...rule, dst: (rule.dst ?? []).map((d) => `${d.slice(0, d.lastIndexOf(':'))}:${port}`) }
  })
  const offsetGrants = acls.length
  const grants = (policy.grants ?? []).map((rule, i) => (changed(offsetGrants + i) ? { ...rule, ip: [String(otherPort())] } : rule))
  return { ...policy, acls, grants }
}

function seedExample(): TailnetPolicy {
  return {
    acls: [
      { action: 'accept', src: ['tag:frontend'], dst: ['tag:backend:8080'] },
      { action: 'accept', src: ['tag:backend'], dst: ['tag:database:5432'] },
      { action: 'accept', src: ['tag:danny'], dst: ['*:*'] },
    ],
    groups: { 'group:admins': ['danny@example.com'] },
    tagOwners: {
      'tag:backend': ['group:admins'],
      'tag:danny': ['group:admins'],
      'tag:database': ['group:admins'],
      'tag:frontend': ['group:admins'],
    },
    tests: [
      { src: 'tag:frontend', accept: ['tag:backend:8080'], deny: ['tag:database:5432', 'tag:backend:22'] },
      { src: 'tag:backend', accept: ['tag:database:5432'], deny: ['tag:frontend:80', 'tag:frontend:8080'] },
      { src: 'tag:danny', accept: ['tag:frontend:22', 'tag:backend:8080', 'tag:database:5432'] },
    ],
  }
}

interface PortSpan {
  readonly first: number
  readonly last: number
}

/** What a rule opens, kept beside the wire text so tests can be drawn from it. */
interface Opening {
  readonly src: readonly string[]
  readonly dst: readonly string[]
  readonly spans: readonly PortSpan[]
  /** `tcp` or `udp` when the rule is limited to one; tests then name that protocol */
  readonly proto?: 'tcp' | 'udp'
}

class Generator {
  private readonly random: () => number
  private readonly tags: string[]
  private readonly groups: string[]
  private readonly users: string[]
  private readonly hosts: string[]
  private readonly openings: Opening[] = []

  constructor(
    private readonly size: PolicySize,
    seed: number,
  ) {
    this.random = mulberry32(seed)
    this.tags = names('tag:t', size.tags)
    this.groups = names('group:g', size.groups)
    this.users = names('u', size.users).map((u) => `${u}@example.com`)
    this.hosts = names('h', size.hosts)
  }

  policy(): TailnetPolicy {
    const groups = this.groupMembers()
    const tagOwners = Object.fromEntries(this.tags.map((tag) => [tag, [this.groups.length > 0 ? pick(this.random, this.groups) : 'autogroup:admin']]))
    const hosts = Object.fromEntries(this.hosts.map((host, i) => [host, `10.${(i >> 8) & 255}.${i & 255}.1`]))
    const acls = Array.from({ length: this.size.acls }, () => this.acl())
    const grants = Array.from({ length: this.size.grants }, () => this.grant())
    const sshRules = Array.from({ length: this.size.sshRules }, () => this.sshRule())
    const tests = Array.from({ length: this.size.tests }, () => this.test())
    const sshTests = sshRules.length === 0 ? [] : Array.from({ length: this.size.sshTests }, () => this.sshTest(pick(this.random, sshRules)))
    return { groups, tagOwners, hosts, acls, grants, ssh: sshRules, tests, sshTests }
  }

  private groupMembers(): Record<string, string[]> {
    const members: Record<string, string[]> = {}
    for (const group of this.groups) {
      const count = 2 + Math.floor(this.random() * 6)
      members[group] = [...new Set(Array.from({ length: count }, () => pick(this.random, this.users)))].sort()
    }
    return members
  }

  private sources(): string[] {
    const count = 1 + Math.floor(this.random() * 3)
    return [...new Set(Array.from({ length: count }, () => this.principal()))]
  }

  private principal(): string {
    const r = this.random()
    if (r < 0.5 || (this.groups.length === 0 && this.users.length === 0)) return pick(this.random, this.tags)
    if (r < 0.8 && this.groups.length > 0) return pick(this.random, this.groups)
    return pick(this.random, this.users.length > 0 ? this.users : this.tags)
  }

  private destinations(): string[] {
    const count = 1 + Math.floor(this.random() * 3)
    const pool = (): string => (this.hosts.length > 0 && this.random() < 0.15 ? pick(this.random, this.hosts) : pick(this.random, this.tags))
    return [...new Set(Array.from({ length: count }, pool))]
  }

  private spans(): PortSpan[] {
    const r = this.random()
    const port = (): number => 1 + Math.floor(this.random() * 9_999)
    if (r < 0.5) {
      const p = port()
      return [{ first: p, last: p }]
    }
    if (r < 0.8) {
      const first = port()
      return [{ first, last: first + Math.floor(this.random() * 200) }]
    }
    const a = port()
    const b = port()
    return a === b ? [{ first: a, last: a }] : [{ first: Math.min(a, b), last: Math.min(a, b) }, { first: Math.max(a, b), last: Math.max(a, b) }]
  }

  private acl(): AclRule {
    const src = this.sources()
    const dst = this.destinations()
    const spans = this.spans()
    const proto = this.random() < 0.3 ? 'tcp' : undefined
    this.openings.push({ src, dst, spans, ...(proto ? { proto } : {}) })
    const ports = spans.map(spanText).join(',')
    return { action: 'accept', src, dst: dst.map((d) => `${d}:${ports}`), ...(proto ? { proto } : {}) }
  }

  private grant(): Grant {
    const src = this.sources()
    const dst = this.destinations()
    const spans = this.spans()
    const r = this.random()
    const proto = r < 0.4 ? 'tcp' : r < 0.5 ? 'udp' : undefined
    this.openings.push({ src, dst, spans, ...(proto ? { proto } : {}) })
    return { src, dst, ip: spans.map((s) => (proto ? `${proto}:${spanText(s)}` : spanText(s))) }
  }

  private sshRule(): SshRule {
    const src = this.sources()
    // tagged devices have no user to re-authenticate, so only people get check mode
    const action = this.random() < 0.7 || src.some((s) => s.startsWith('tag:')) ? 'accept' : 'check'
    const dst = [...new Set(Array.from({ length: 1 + Math.floor(this.random() * 2) }, () => pick(this.random, this.tags)))]
    const users = this.random() < 0.5 ? ['root'] : ['root', 'ubuntu']
    return { action, src, dst, users, ...(action === 'check' ? { checkPeriod: '12h' } : {}) }
  }

  private test(): PolicyTest {
    const opening = pick(this.random, this.openings)
    const src = pick(this.random, opening.src)
    const accept = [...new Set(Array.from({ length: 1 + Math.floor(this.random() * 2) }, () => {
      const span = pick(this.random, opening.spans)
      const port = span.first + Math.floor(this.random() * (span.last - span.first + 1))
      return `${pick(this.random, opening.dst)}:${port}`
    }))]
    const denied = `${pick(this.random, this.tags)}:${DENIED_PORT_FLOOR + Math.floor(this.random() * (65_536 - DENIED_PORT_FLOOR))}`
    return { src, ...(opening.proto ? { proto: opening.proto } : {}), accept, deny: [denied] }
  }

  private sshTest(rule: SshRule): SshTest {
    const users = rule.users ?? []
    const src = pick(this.random, rule.src ?? [])
    const dst = [pick(this.random, rule.dst ?? [])]
    // no generated rule names this login, so the deny always holds
    return rule.action === 'check' ? { src, dst, check: [...users], deny: ['nobody'] } : { src, dst, accept: [...users], deny: ['nobody'] }
  }
}

function spanText(span: PortSpan): string {
  return span.first === span.last ? String(span.first) : `${span.first}-${span.last}`
}

function names(prefix: string, count: number): string[] {
  const width = String(Math.max(count - 1, 0)).length
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(width, '0')}`)
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)]
  if (item === undefined) throw new RangeError('pick from an empty list')
  return item
}

// a small, well-mixed 32-bit generator: Math.random cannot be seeded, and the output must be reproducible
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
