/**
 * `npm run conformance [folder]`: tailor's answers against Tailscale's own (default folder
 * `../shared/conformance`, see its README). One process runs every case:
 * - verdict: each capture in `tailscale/` accepted or rejected as Tailscale did
 * - filters: each accepted capture's per-node packet filters, compared exactly (`filterDifference`)
 * - ssh: each capture's per-node SSH rules (principals as sets, check mode as "check")
 * - messages: how many rejections carry Tailscale's words (reported, not judged)
 * - policies: real files whose own tests must pass, and whose accept↔deny mutants must fail
 * - validation: the parse/validation cases of `conformance/validation.ts`, when present
 *
 * Exits 1 on a failure not listed in `conformance/known-failures.txt` (`id  reason` per line), and
 * when a listed case now passes: the list only shrinks. A skip is never a pass; it is listed with
 * its reason.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { TailnetPolicy } from '../src/compile/tailnet-policy.js'
import type { Inventory } from '../src/model/inventory.js'
import type { Diagnostic } from '../src/model/diagnostic.js'
import { readHujson } from '../src/io/read-hujson.js'
import { filterDifference, type ComparableMatch } from '../src/analyze/filter-difference.js'
import { IpSet } from '../src/analyze/ip-set.js'
import { netmap } from '../src/analyze/netmap.js'

interface Capture {
  readonly id: string
  readonly category: string
  readonly policy: unknown
  readonly tailnet: string
  readonly users: Inventory['users']
  readonly nodes: Inventory['nodes']
  readonly api: { readonly status: number; readonly body: { readonly message?: string } | null }
  readonly filters?: Record<string, ComparableMatch[]>
  readonly ssh?: Record<string, unknown[]>
}

/** what the runner needs from a check: a verdict and the diagnostics behind it */
interface Verdict {
  readonly ok: boolean
  readonly diagnostics: readonly Diagnostic[]
  readonly policy: TailnetPolicy | undefined
}

type Checker = (raw: unknown, inventory: Inventory | undefined) => Verdict

interface Outcome {
  readonly id: string
  readonly passed: boolean
  readonly reason?: string
  /** the capture's category (acl, grant, routes, ...), for the per-category counts */
  readonly category?: string
}

interface Section {
  readonly name: string
  readonly outcomes: Outcome[]
  readonly skips: { id: string; reason: string }[]
  readonly notes: string[]
}

const repoRoot = process.cwd()
const folder = resolve(repoRoot, process.argv[2] ?? '../shared/conformance')
const knownFailuresFile = join(repoRoot, 'conformance', 'known-failures.txt')

async function main(): Promise<number> {
  const checker = await loadChecker()
  const sections: Section[] = []
  const captures = loadCaptures(join(folder, 'tailscale'))
  sections.push(verdicts(captures, checker.check, checker.source))
  sections.push(filters(captures))
  sections.push(sshRules(captures))
  sections.push(messages(captures, checker.check))
  sections.push(headscaleProbes(join(folder, 'headscale', 'cases.json')))
  sections.push(await policySection(folder, checker.check))
  sections.push(await validationCases())
  sections.push(await importSection(captures, checker.check))
  return report(sections)
}

// ---------- verdict, filters, ssh, messages ----------

function verdicts(captures: readonly Capture[], check: Checker, source: string): Section {
  const section = newSection('verdict')
  section.notes.push(`verdicts from ${source}`)
  for (const c of captures) {
    if (c.api.status !== 200 && c.api.status !== 400) {
      section.skips.push({ id: `verdict/${c.id}`, reason: `Tailscale answered ${c.api.status}: no verdict to compare` })
      continue
    }
    const expected = c.api.status === 200
    const got = judge(c, check)
    if (got.ok === expected) section.outcomes.push({ id: `verdict/${c.id}`, passed: true, category: c.category })
    else {
      const why = expected
        ? `rejected a policy Tailscale accepts: ${firstError(got.diagnostics)}`
        : `accepted a policy Tailscale rejects (${c.api.body?.message ?? 'no message'})`
      section.outcomes.push({ id: `verdict/${c.id}`, passed: false, reason: why, category: c.category })
    }
  }
  return section
}

function filters(captures: readonly Capture[]): Section {
  return perDevice('filters', captures, (c) => c.filters, (netmapped) => netmapped.filters, filterDifference)
}

function sshRules(captures: readonly Capture[]): Section {
  return perDevice('ssh', captures, (c) => c.ssh, (netmapped) => netmapped.ssh, sshDifference)
}

/**
 * Compares what Tailscale sent each device (packet filter or SSH rules) with tailor's netmap for the
 * same policy and devices; a case fails on its first device that differs.
 */
function perDevice<Sent, Ours>(
  name: string,
  captures: readonly Capture[],
  sent: (c: Capture) => Readonly<Record<string, readonly Sent[]>> | undefined,
  ours: (netmapped: ReturnType<typeof netmap>) => Readonly<Record<string, readonly Ours[]>>,
  difference: (expected: readonly Sent[], actual: readonly Ours[]) => string | undefined,
): Section {
  const section = newSection(name)
  for (const c of captures) {
    const expectedByDevice = sent(c)
    // a rejected policy's capture shows what the previous policy sent
    if (!expectedByDevice || c.api.status !== 200) continue
    const id = `${name}/${c.id}`
    const policy = policyObject(c.policy)
    if (!policy) {
      section.skips.push({ id, reason: 'accepted policy is not a JSON object' })
      continue
    }
    let reason: string | undefined
    try {
      const actualByDevice = ours(netmap(policy, inventoryOf(c)))
      for (const [node, expected] of Object.entries(expectedByDevice)) {
        const diff = difference(expected, actualByDevice[node] ?? [])
        if (diff) {
          reason = `${node}: ${diff}`
          break
        }
      }
    } catch (e) {
      reason = `crashed: ${e instanceof Error ? e.message : String(e)}`
    }
    section.outcomes.push(reason ? { id, passed: false, reason, category: c.category } : { id, passed: true, category: c.category })
  }
  return section
}

function sshDifference(expected: readonly unknown[], actual: readonly unknown[]): string | undefined {
  const a = expected.map(normalizeSshRule)
  const b = actual.map(normalizeSshRule)
  if (a.length !== b.length) return `expected ${a.length} SSH rules, got ${b.length}`
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return `rule ${i + 1} differs: expected ${a[i]}, got ${b[i]}`
  }
  return undefined
}

function normalizeSshRule(rule: unknown): string {
  const r = (rule ?? {}) as Record<string, unknown>
  const principals = Array.isArray(r['principals'])
    ? [...new Set((r['principals'] as unknown[]).map((p) => JSON.stringify(sortKeys(p))))].sort()
    : []
  const action = (r['action'] ?? {}) as Record<string, unknown>
  const mode = 'holdAndDelegate' in action ? 'check' : JSON.stringify(sortKeys(action))
  const env = Array.isArray(r['acceptEnv']) ? [...(r['acceptEnv'] as unknown[])].map(String) : []
  return JSON.stringify({ principals, sshUsers: sortKeys(r['sshUsers'] ?? {}), action: mode, acceptEnv: env })
}

function messages(captures: readonly Capture[], check: Checker): Section {
  const section = newSection('messages')
  let asked = 0
  let matched = 0
  const misses: string[] = []
  for (const c of captures) {
    const want = c.api.status === 400 ? c.api.body?.message : undefined
    if (!want) continue
    asked++
    const got = judge(c, check)
    if (got.diagnostics.some((d) => d.message.includes(want) || (d.message.length > 12 && want.includes(d.message)))) matched++
    else misses.push(`${c.id}: wanted ${JSON.stringify(want)}, first: ${JSON.stringify(firstError(got.diagnostics))}`)
  }
  section.notes.push(`${matched}/${asked} rejections carry Tailscale's message (reported, not judged)`)
  if (process.env['CONFORMANCE_VERBOSE']) section.notes.push(...misses)
  return section
}

// ---------- headscale/: reachability probes ----------

interface HeadscaleProbe {
  readonly src: string
  readonly dst: string
  readonly proto?: string
  readonly via?: string
}

interface HeadscaleCase {
  readonly id: string
  readonly policy: unknown
  readonly users: readonly { name: string; email?: string }[]
  readonly nodes: readonly { name: string; user?: string; tags?: string[]; ips?: string[]; advertised_routes?: string[]; approved_routes?: string[] }[]
  readonly expect: { allow?: HeadscaleProbe[]; deny?: HeadscaleProbe[] }
  readonly headscale_divergence?: string
}

const probeProtocols: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1, sctp: 132 }

function headscaleProbes(file: string): Section {
  const section = newSection('probes')
  if (!existsSync(file)) {
    section.skips.push({ id: 'probes', reason: `${file} not found` })
    return section
  }
  const cases = (JSON.parse(readFileSync(file, 'utf8')) as HeadscaleCase[]).filter((c) => c.expect.allow || c.expect.deny)
  for (const c of cases) {
    const id = `probes/${c.id}`
    if (c.headscale_divergence) {
      section.skips.push({ id, reason: `headscale deviates from Tailscale here: ${c.headscale_divergence}` })
      continue
    }
    const users = c.users.map((u) => ({ name: u.name, email: u.email ?? u.name }))
    const inventory: Inventory = {
      tailnet: users[0]?.email.split('@')[1] ?? 'example.com',
      users,
      nodes: c.nodes.map((n) => {
        const owner = (n.tags ?? []).length > 0 ? undefined : users.find((u) => u.email === n.user || u.name === n.user)
        const ipv4 = (n.ips ?? []).find((ip) => !ip.includes(':'))
        const ipv6 = (n.ips ?? []).find((ip) => ip.includes(':'))
        return {
          name: n.name,
          tags: n.tags ?? [],
          ...(owner ? { user: owner.name } : {}),
          ...(ipv4 ? { ipv4 } : {}),
          ...(ipv6 ? { ipv6 } : {}),
          ...(n.advertised_routes ? { routable_ips: n.advertised_routes } : {}),
          ...(n.approved_routes ? { approved_routes: n.approved_routes } : {}),
        }
      }),
    }
    const policy = policyObject(c.policy)
    if (!policy) {
      section.skips.push({ id, reason: 'policy is not a JSON object' })
      continue
    }
    let reason: string | undefined
    try {
      const filters = netmap(policy, inventory).filters
      for (const [want, probes] of [
        [true, c.expect.allow ?? []],
        [false, c.expect.deny ?? []],
      ] as const) {
        for (const probe of probes) {
          const got = probeAllowed(probe, inventory, filters, want)
          if (got !== want) {
            reason = `${probe.src} → ${probe.dst} ${probe.proto ?? ''}: expected ${want ? 'allowed' : 'denied'}`
            break
          }
        }
        if (reason) break
      }
    } catch (e) {
      reason = `crashed: ${e instanceof Error ? e.message : String(e)}`
    }
    section.outcomes.push(reason ? { id, passed: false, reason } : { id, passed: true })
  }
  return section
}

/** allow: every listed port passes; deny: none does. Decided on the destination's (or router's) inbound filter. */
function probeAllowed(probe: HeadscaleProbe, inventory: Inventory, filters: Record<string, readonly ComparableMatch[]>, wantAll: boolean): boolean {
  const colon = probe.dst.lastIndexOf(':')
  const host = probe.dst.slice(0, colon).replace(/^\[|\]$/g, '')
  const portText = probe.dst.slice(colon + 1)
  const ports = portText === '*' ? [[0, 65535] as const] : portText.split(',').map((p) => p.split('-').map(Number) as [number, number?]).map(([a, b]) => [a, b ?? a] as const)
  const v6 = host.includes(':')
  const src = inventory.nodes.find((n) => n.name === probe.src)
  const srcIp = v6 ? src?.ipv6 : src?.ipv4
  const dstNode = probe.via ?? inventory.nodes.find((n) => n.ipv4 === host || n.ipv6 === host)?.name
  if (!srcIp || !dstNode) return false
  const proto = probeProtocols[probe.proto ?? 'tcp'] ?? Number(probe.proto)
  const open: [number, number][] = []
  for (const m of filters[dstNode] ?? []) {
    if (!m.proto.includes(proto) || !m.src.some((c) => covers(c, srcIp))) continue
    for (const d of m.dst) if (covers(d.net, host)) open.push([d.ports[0] ?? 0, d.ports[1] ?? 0])
  }
  const isOpen = (port: number) => open.some(([a, b]) => a <= port && port <= b)
  // both ends of each listed range and every boundary inside it decide coverage exactly
  const points = (a: number, b: number) => [a, b, ...open.flatMap(([x, y]) => [x, y, x - 1, y + 1])].filter((p) => p >= a && p <= b)
  const checks = ports.flatMap(([a, b]) => points(a, b))
  return wantAll ? checks.every(isOpen) : checks.some(isOpen)
}

function covers(net: string, ip: string): boolean {
  const outer = net === '*' ? undefined : parseNet(net)
  const inner = parseNet(ip)
  return outer === undefined ? true : inner !== undefined && outer.covers(inner)
}

function parseNet(text: string): IpSet | undefined {
  return IpSet.parse(text)
}

// ---------- policies/ ----------

/** mutants per file: enough to cover each file's assertions in spread, few enough for one run */
const mutantsPerFile = 8

/** `conformance/policies.ts` (owned by the tests engineer) when present; the simple check below otherwise */
async function policySection(root: string, check: Checker): Promise<Section> {
  const own = (await exported('conformance/policies.ts', 'policyCases')) as
    | ((root: string, options: { mutantsPerFile: number }) => { outcomes: Outcome[]; skips: { id: string; reason: string }[]; notes: string[] })
    | undefined
  if (!own) return policies(join(root, 'policies'), check)
  const result = own(root, { mutantsPerFile })
  return { name: 'policies', outcomes: result.outcomes, skips: result.skips, notes: result.notes }
}

interface PolicyIndexEntry {
  readonly id: string
  readonly expect: string
  readonly dialect?: string
  readonly valid_hujson?: boolean
}

function policies(dir: string, check: Checker): Section {
  const section = newSection('policies')
  const indexFile = join(dir, 'index.json')
  if (!existsSync(indexFile)) {
    section.skips.push({ id: 'policies', reason: `${indexFile} not found` })
    return section
  }
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as PolicyIndexEntry[]
  for (const entry of index) {
    const id = `policies/${entry.id}`
    const text = readFileSync(join(dir, `${entry.id}.hujson`), 'utf8')
    const doc = readHujson(text, `${entry.id}.hujson`)
    let verdict: Verdict
    try {
      verdict = doc.value === undefined ? { ok: false, diagnostics: doc.diagnostics, policy: undefined } : check(doc.value, undefined)
    } catch (e) {
      section.outcomes.push({ id, passed: false, reason: `crashed: ${e instanceof Error ? e.message : String(e)}` })
      continue
    }
    if (entry.expect !== 'tests-pass') {
      const unlocated = verdict.diagnostics.filter((d) => d.severity === 'error' && d.path === undefined && d.at === undefined)
      section.outcomes.push(unlocated.length === 0 ? { id, passed: true } : { id, passed: false, reason: `unlocated error: ${unlocated[0]!.message}` })
      continue
    }
    if (!verdict.ok) {
      section.outcomes.push({ id, passed: false, reason: `own tests or validation fail: ${firstError(verdict.diagnostics)}` })
      continue
    }
    const mutants = mutantsOf(doc.value)
    const survivor = mutants.find((m) => {
      try {
        return check(m.policy, undefined).ok
      } catch {
        return false
      }
    })
    section.outcomes.push(survivor ? { id, passed: false, reason: `mutant passes: ${survivor.description}` } : { id, passed: true })
  }
  return section
}

/** copies of a policy with one test expectation flipped: each must fail */
function mutantsOf(value: unknown): { description: string; policy: unknown }[] {
  const policy = value as { tests?: unknown[] }
  const out: { description: string; policy: unknown }[] = []
  const tests = Array.isArray(policy.tests) ? policy.tests : []
  tests.forEach((t, i) => {
    const test = t as Record<string, unknown>
    for (const [from, to] of [
      ['accept', 'deny'],
      ['allow', 'deny'],
      ['deny', 'accept'],
    ] as const) {
      const list = test[from]
      if (!Array.isArray(list) || list.length === 0) continue
      const moved = list[0]
      const changed = { ...test, [from]: list.slice(1), [to]: [...(Array.isArray(test[to]) ? (test[to] as unknown[]) : []), moved] }
      const copy = { ...policy, tests: tests.map((x, j) => (j === i ? changed : x)) }
      out.push({ description: `tests[${i}] ${from} ${JSON.stringify(moved)} moved to ${to}`, policy: copy })
      return
    }
  })
  return out
}

// ---------- import: every valid policy round-trips through the DSL ----------

async function importSection(captures: readonly Capture[], check: Checker): Promise<Section> {
  const section = newSection('import')
  const { importRoundTrips } = await import('./import-round-trip.js')
  const cases: import('./import-round-trip.js').ImportCase[] = []
  const testsFail = (inventory: Inventory | undefined) => (compiled: TailnetPolicy) => {
    const verdict = safeCheck(check, compiled, inventory as Inventory)
    return verdict.ok ? undefined : firstError(verdict.diagnostics)
  }
  for (const c of captures) {
    if (c.api.status !== 200) continue
    const text = typeof c.policy === 'string' ? c.policy : undefined
    const policy = policyObject(c.policy)
    if (!policy) continue
    cases.push({ id: c.id, policy, ...(text === undefined ? {} : { text }), testsFail: testsFail(inventoryOf(c)), category: c.category })
  }
  const dir = join(folder, 'policies')
  const indexFile = join(dir, 'index.json')
  if (existsSync(indexFile)) {
    for (const entry of JSON.parse(readFileSync(indexFile, 'utf8')) as PolicyIndexEntry[]) {
      const text = readFileSync(join(dir, `${entry.id}.hujson`), 'utf8')
      const value = readHujson(text, `${entry.id}.hujson`).value
      // only what `tailor check` accepts is a policy to adopt
      if (value === undefined || !safeCheck(check, value, undefined as unknown as Inventory).ok) continue
      cases.push({ id: `policies/${entry.id}`, policy: value as TailnetPolicy, text, testsFail: testsFail(undefined), category: 'policies' })
    }
  }
  const outcomes = await importRoundTrips(cases)
  section.outcomes.push(...outcomes)
  const raw = outcomes.filter((o) => o.raw > 0).length
  section.notes.push(`${raw}/${outcomes.length} imports keep some part as p.raw (reported, not judged)`)
  return section
}

// ---------- validation cases (owned by the policy reader) ----------

async function validationCases(): Promise<Section> {
  const section = newSection('validation')
  const cases = (await exported('conformance/validation.ts', 'validationCases')) as
    | ((root: string) => readonly { id: string; category: string; expected: string; got: string; expectedMessage?: string; messages: readonly string[]; messageMatches: boolean }[])
    | undefined
  if (!cases) {
    section.skips.push({ id: 'validation', reason: 'conformance/validation.ts exports no validationCases(root) yet' })
    return section
  }
  let asked = 0
  let matched = 0
  for (const c of cases(folder)) {
    const id = `validation/${c.id}`
    if (c.expected === 'reject' && c.expectedMessage) {
      asked++
      if (c.messageMatches) matched++
    }
    if (c.expected === c.got) section.outcomes.push({ id, passed: true })
    else {
      const said = c.messages[0] === undefined ? '' : `: ${c.messages[0]}`
      section.outcomes.push({ id, passed: false, reason: `${c.got === 'accept' ? 'accepted' : 'rejected'}, expected ${c.expected}${c.expectedMessage ? ` (${c.expectedMessage})` : ''}${said}` })
    }
  }
  section.notes.push(`${matched}/${asked} expected error messages matched (reported, not judged)`)
  return section
}

// ---------- shared ----------

async function loadChecker(): Promise<{ check: Checker; source: string }> {
  const checkFile = join(repoRoot, 'src', 'analyze', 'check.ts')
  if (existsSync(checkFile)) {
    const mod = (await import(pathToFileURL(checkFile).href)) as Record<string, unknown>
    const checkPolicy = mod['checkPolicy']
    if (typeof checkPolicy === 'function') {
      const fn = checkPolicy as (raw: unknown, options: { inventory?: Inventory }) => { ok: boolean; diagnostics: readonly Diagnostic[]; policy?: TailnetPolicy }
      return {
        source: 'checkPolicy (src/analyze/check.ts)',
        check: (raw, inventory) => {
          const r = fn(raw, inventory ? { inventory } : {})
          return { ok: r.ok, diagnostics: r.diagnostics, policy: r.policy }
        },
      }
    }
  }
  const validatePolicy = await exported('src/analyze/validate-policy.ts', 'validatePolicy')
  if (validatePolicy) {
    const validate = validatePolicy as (raw: unknown, options?: { tailnet?: string }) => { policy: TailnetPolicy | undefined; diagnostics: readonly Diagnostic[] }
    // until check.ts lands: validation, then the policy's own tests on the case's (or a synthetic) inventory
    const runTests = (await exported('src/analyze/run-tests.ts', 'runTests')) as
      | ((policy: TailnetPolicy, inventory: Inventory) => readonly { passed: boolean; reason?: string; path: readonly (string | number)[] }[])
      | undefined
    const synthesize = (await exported('src/analyze/synthetic-inventory.ts', 'synthesizeInventory')) as ((policy: TailnetPolicy) => Inventory) | undefined
    return {
      source: `validatePolicy${runTests ? ' + runTests' : ' (tests not run)'}`,
      check: (raw, inventory) => {
        const r = validate(raw, inventory ? { tailnet: inventory.tailnet } : undefined)
        const diagnostics = [...r.diagnostics]
        if (r.policy && runTests && !diagnostics.some((d) => d.severity === 'error')) {
          const world = inventory ?? synthesize?.(r.policy)
          if (world) {
            for (const t of runTests(r.policy, world)) {
              if (!t.passed) diagnostics.push({ code: 'test-failed', severity: 'error', message: `test(s) failed: ${t.reason ?? ''}`, path: t.path })
            }
          }
        }
        return { ok: !diagnostics.some((d) => d.severity === 'error'), diagnostics, policy: r.policy }
      },
    }
  }
  return {
    source: 'nothing (no check.ts or validate-policy.ts yet): every policy counts as accepted',
    check: (raw) => ({ ok: true, diagnostics: [], policy: raw as TailnetPolicy }),
  }
}

async function exported(file: string, name: string): Promise<unknown> {
  const path = join(repoRoot, file)
  if (!existsSync(path)) return undefined
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  return typeof mod[name] === 'function' ? mod[name] : undefined
}

function judge(c: Capture, check: Checker): Verdict {
  if (typeof c.policy === 'string') {
    const doc = readHujson(c.policy, `${c.id}.hujson`)
    if (doc.value === undefined || doc.diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics: doc.diagnostics, policy: undefined }
    return safeCheck(check, doc.value, inventoryOf(c))
  }
  return safeCheck(check, c.policy, inventoryOf(c))
}

function safeCheck(check: Checker, raw: unknown, inventory: Inventory): Verdict {
  try {
    return check(raw, inventory)
  } catch (e) {
    const message = `crashed: ${e instanceof Error ? e.message : String(e)}`
    return { ok: false, diagnostics: [{ code: 'crash', severity: 'error', message }], policy: undefined }
  }
}

function policyObject(policy: unknown): TailnetPolicy | undefined {
  if (typeof policy === 'string') {
    const value = readHujson(policy, 'policy.hujson').value
    return typeof value === 'object' && value !== null ? (value as TailnetPolicy) : undefined
  }
  return typeof policy === 'object' && policy !== null ? (policy as TailnetPolicy) : undefined
}

function inventoryOf(c: Capture): Inventory {
  return { tailnet: c.tailnet, users: c.users, nodes: c.nodes }
}

function loadCaptures(dir: string): Capture[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Capture)
}

function firstError(diagnostics: readonly Diagnostic[]): string {
  const d = diagnostics.find((x) => x.severity === 'error')
  return d ? d.message : 'no error'
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    )
  }
  return value
}

function newSection(name: string): Section {
  return { name, outcomes: [], skips: [], notes: [] }
}

function readKnownFailures(): Map<string, string> {
  const known = new Map<string, string>()
  if (!existsSync(knownFailuresFile)) return known
  for (const line of readFileSync(knownFailuresFile, 'utf8').split('\n')) {
    const text = line.trim()
    if (text === '' || text.startsWith('#')) continue
    const [id = '', ...reason] = text.split(/\s+/)
    known.set(id, reason.join(' '))
  }
  return known
}

function report(sections: readonly Section[]): number {
  const known = readKnownFailures()
  const out: string[] = []
  const unexpected: string[] = []
  const fixed: string[] = []
  out.push(`conformance: ${folder}`)
  for (const s of sections) {
    const passed = s.outcomes.filter((o) => o.passed).length
    const counts = s.outcomes.length === 0 && s.notes.length > 0 ? s.notes[0]! : `${passed}/${s.outcomes.length} pass`
    out.push(`${s.name.padEnd(11)} ${counts}${s.skips.length > 0 ? `, ${s.skips.length} skipped` : ''}`)
    const categories = [...new Set(s.outcomes.flatMap((o) => (o.category === undefined ? [] : [o.category])))].sort()
    if (categories.length > 0) {
      const per = categories.map((c) => {
        const mine = s.outcomes.filter((o) => o.category === c)
        return `${c} ${mine.filter((o) => o.passed).length}/${mine.length}`
      })
      out.push(`${''.padEnd(11)} ${per.join(', ')}`)
    }
  }
  for (const s of sections) {
    const failures = s.outcomes.filter((o) => !o.passed)
    if (failures.length > 0 || s.skips.length > 0 || s.notes.length > 0) out.push('', `## ${s.name}`)
    for (const note of s.notes) out.push(`  ${note}`)
    for (const f of failures) {
      const listed = known.has(f.id)
      if (!listed) unexpected.push(f.id)
      out.push(`  ${listed ? 'known' : 'FAIL '} ${f.id}  ${f.reason ?? ''}`)
    }
    for (const skip of s.skips) out.push(`  skip  ${skip.id}  ${skip.reason}`)
    for (const o of s.outcomes) if (o.passed && known.has(o.id)) fixed.push(o.id)
  }
  const ran = new Set(sections.flatMap((s) => s.outcomes.map((o) => o.id)))
  const stale = [...known.keys()].filter((id) => !ran.has(id))
  if (stale.length > 0) {
    out.push('', '## listed but not run (renamed, removed, or its section skipped)')
    for (const id of stale) out.push(`  ${id}`)
  }
  if (fixed.length > 0) {
    out.push('', '## now passing: remove from conformance/known-failures.txt')
    for (const id of fixed) out.push(`  ${id}`)
  }
  out.push('', `${unexpected.length} unexpected failure(s), ${fixed.length} listed case(s) now passing`)
  process.stdout.write(`${out.join('\n')}\n`)
  return unexpected.length > 0 || fixed.length > 0 ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`conformance runner crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exitCode = 2
  },
)
