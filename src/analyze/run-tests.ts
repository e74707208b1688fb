/**
 * A policy's own assertions, `tests` and `sshTests`, evaluated as Tailscale evaluates them before it
 * accepts a policy (tailscale.com/kb/1337 "Tests", "SSH tests"; policytest and sshtest captures).
 *
 * API (stable; `check.ts` and the CLI use it):
 * - `runTests(policy, inventory) → TestResult[]`: one result per assertion, i.e. per `accept`/`deny`
 *   entry of `tests`, and per login × `dst` of `sshTests`, in file order
 *
 * `tests`: every address of the source (all devices of a user, group or tag; a host's or a literal
 * address) must reach the destination for `accept`, and none may for `deny`; an address only asks
 * about destination addresses of its own IP family. The destination is reached when any of its
 * addresses is (a group or tag destination is "a representative member"). Without `proto` a test
 * asks for TCP or UDP, as the KB says. An end that names nobody, a port that is not one number, a
 * CIDR or a wildcard fails the assertion, as Tailscale answers `test(s) failed` for each of them.
 *
 * `sshTests` run on the SSH rules each destination device would receive (`ssh-rules.ts`), with the
 * device's first-match semantics: `accept` wants an accept rule, `check` a check rule, `deny` no rule,
 * for every source address. Network rules play no part (capture sshtest-mixed-acls-tcp22-allow-no-ssh-rule).
 */
import type { PolicyTest, SshTest, TailnetPolicy } from '../compile/tailnet-policy.js'
import type { JsonPath } from '../model/diagnostic.js'
import type { Inventory } from '../model/inventory.js'
import { globalRules, type GlobalRule, type IpRule } from './global-rules.js'
import { formatIp, parseProtocol, TCP, UDP } from './parse/index.js'
import { reachability, type Address, type Reachability } from './reachability.js'
import { withRepresentatives } from './representatives.js'
import { resolver, type Device } from './resolve.js'
import { sshDecision, sshRuleOrigin, sshRulesByName, type SshRuleOut } from './ssh-rules.js'
import { isEndpointFailure, sshTestDestination, testDestination, testSource, type Endpoint, type TestWorld } from './test-endpoints.js'

/** Tailscale's words for a verdict: `want: Accept, got: Drop` */
export type Outcome = 'Accept' | 'Drop' | 'Check'

export interface TestResult {
  readonly section: 'tests' | 'sshTests'
  /** index of the test in its section */
  readonly index: number
  readonly src: string
  /** the destination as written: `tag:web:443`, or an sshTests `dst` entry */
  readonly dst?: string
  /** sshTests: the login asked for */
  readonly login?: string
  readonly proto?: string
  readonly want?: Outcome
  readonly got?: Outcome
  readonly passed: boolean
  /** the JSON path of the assertion: `["tests", 2, "deny", 0]` */
  readonly path: JsonPath
  /** for a failure: which source was refused, which rule allowed it, or what could not be resolved */
  readonly reason?: string
  /** the rules that allow the traffic (JSON paths of acls/grants entries, or of the device's SSH rules' policy entries) */
  readonly rules: readonly JsonPath[]
}

/** Without `proto`, a test asks whether TCP or UDP gets through (KB "Tests": "checks for either TCP or UDP"). */
const unspecifiedProtocols: readonly number[] = [TCP, UDP]

export function runTests(original: TailnetPolicy, actual: Inventory): TestResult[] {
  const { policy, inventory, representatives } = withRepresentatives(original, actual, representedEnds(original))
  const resolve = resolver(policy, inventory)
  const world: TestWorld = { policy, inventory, resolve, representatives }
  const results: TestResult[] = []
  if ((policy.tests ?? []).length > 0) {
    const rules = globalRules(policy, resolve)
    const reach = reachability(rules, resolve)
    const paths = rulePaths(rules)
    ;(policy.tests ?? []).forEach((test, index) => results.push(...networkTest(test, index, world, reach, paths)))
  }
  if ((policy.sshTests ?? []).length > 0) {
    const ssh = sshRulesByName(policy, inventory, resolve)
    ;(policy.sshTests ?? []).forEach((test, index) => results.push(...sshTest(test, index, world, ssh)))
  }
  return results
}

/** test ends that name a group or an autogroup, which a representative device plays */
function representedEnds(policy: TailnetPolicy): string[] {
  const ends: string[] = []
  const hostOf = (entry: unknown): string | undefined => {
    if (typeof entry !== 'string') return undefined
    const text = entry.trim()
    return text.startsWith('[') ? undefined : text.slice(0, Math.max(0, text.lastIndexOf(':')))
  }
  for (const test of policy.tests ?? []) {
    const src = test.src ?? test.user
    if (typeof src === 'string') ends.push(src)
    for (const entry of [...(test.accept ?? []), ...(test.allow ?? []), ...(test.deny ?? [])]) {
      const host = hostOf(entry)
      if (host !== undefined) ends.push(host)
    }
  }
  for (const test of policy.sshTests ?? []) {
    if (typeof test.src === 'string') ends.push(test.src)
    for (const dst of Array.isArray(test.dst) ? test.dst : []) if (typeof dst === 'string') ends.push(dst)
  }
  return ends
}

/**
 * The JSON paths of the rules that allow an assertion, each policy entry once, in the order found;
 * an entry's path is one array however many results name it.
 */
function rulePaths(rules: readonly GlobalRule[]): (allowing: readonly IpRule[]) => JsonPath[] {
  const byOrigin = new Map<string, JsonPath>()
  const pathOf = new Map<IpRule, JsonPath>()
  for (const rule of rules) {
    if (rule.kind !== 'ip') continue
    const key = `${rule.origin.section}[${rule.origin.index}]`
    let path = byOrigin.get(key)
    if (path === undefined) {
      path = [rule.origin.section, rule.origin.index]
      byOrigin.set(key, path)
    }
    pathOf.set(rule, path)
  }
  return (allowing) => {
    const out: JsonPath[] = []
    for (const rule of allowing) {
      const path = pathOf.get(rule)!
      if (allowing.length < 16 ? !out.includes(path) : true) out.push(path)
    }
    return allowing.length < 16 ? out : [...new Set(out)]
  }
}

function networkTest(test: PolicyTest, index: number, world: TestWorld, reach: Reachability, paths: (allowing: readonly IpRule[]) => JsonPath[]): TestResult[] {
  const srcText = typeof test.src === 'string' ? test.src : typeof test.user === 'string' ? test.user : ''
  const base = { section: 'tests' as const, index, src: srcText.trim(), ...(typeof test.proto === 'string' ? { proto: test.proto } : {}) }
  const assertions: { key: 'accept' | 'allow' | 'deny'; want: Outcome; entries: readonly unknown[] }[] = []
  for (const key of ['accept', 'allow', 'deny'] as const) {
    const entries: unknown = test[key]
    if (Array.isArray(entries) && entries.length > 0) assertions.push({ key, want: key === 'deny' ? 'Drop' : 'Accept', entries })
  }
  if (assertions.length === 0) return [{ ...base, passed: false, path: ['tests', index], reason: 'the test has neither `accept` nor `deny`', rules: [] }]

  const source = testSource(test.src ?? test.user, world)
  let protocols = unspecifiedProtocols
  let protocolError: string | undefined
  if (typeof test.proto === 'string' && test.proto.trim() !== '') {
    const parsed = parseProtocol(test.proto)
    if (typeof parsed === 'number') protocols = [parsed]
    else protocolError = parsed.error
  }

  const proto = base.proto
  const out: TestResult[] = []
  for (const { key, want, entries } of assertions) {
    entries.forEach((entry, i) => {
      const path: JsonPath = ['tests', index, key, i]
      const dst = typeof entry === 'string' ? entry.trim() : JSON.stringify(entry)
      const failed = (reason: string): TestResult => ({ ...base, dst, want, passed: false, path, reason, rules: [] })
      if (isEndpointFailure(source)) return out.push(failed(source.error))
      if (protocolError !== undefined) return out.push(failed(protocolError))
      const target = testDestination(entry, world)
      if (isEndpointFailure(target)) return out.push(failed(target.error))
      const verdict = judge(source, target.endpoint, target.port, protocols, reach)
      // accept asks that every source address gets through; deny, that none does
      const got: Outcome = (want === 'Accept' ? verdict.allowedFromAll : verdict.allowing.length > 0) ? 'Accept' : 'Drop'
      const passed = got === want
      const rules = paths(verdict.allowing)
      // the common case, in the same key order as the general one below
      if (passed) {
        return out.push(
          proto === undefined
            ? { section: 'tests', index, src: base.src, dst, want, got, passed, path, rules }
            : { section: 'tests', index, src: base.src, proto, dst, want, got, passed, path, rules },
        )
      }
      let reason: string | undefined
      if (want === 'Accept') {
        if (source.outsider) reason = `${base.src} is not a user of the tailnet: no device to test from`
        else reason = verdict.refused.length > 0 ? `${few(names(verdict.refused, reach))} cannot reach ${dst}` : `no address of ${base.src} has the IP family of ${dst}`
      }
      if (want === 'Drop') reason = `${few(names(verdict.admitted, reach))} can reach ${dst}, allowed by ${rules.map(pathText).join(', ')}`
      return out.push({ ...base, dst, want, got, passed, path, ...(reason ? { reason } : {}), rules })
    })
  }
  return out
}

interface Verdict {
  /** every source address with a same-family destination address reaches it (and there is one) */
  readonly allowedFromAll: boolean
  /** source addresses that reach the destination (named only for a failure's reason, see {@link nameOf}) */
  readonly admitted: readonly Address[]
  /** source addresses that do not */
  readonly refused: readonly Address[]
  readonly allowing: readonly IpRule[]
}

function judge(source: Endpoint, target: Endpoint, port: number, protocols: readonly number[], reach: Reachability): Verdict {
  let admitted: Address[] | undefined
  let refused: Address[] | undefined
  // in the order found, each rule once; few rules allow most assertions, so a set only for many
  const allowing: IpRule[] = []
  let seen: Set<IpRule> | undefined
  const allow = (rules: readonly IpRule[]): boolean => {
    for (const r of rules) {
      if (seen === undefined && allowing.length >= 16) seen = new Set(allowing)
      if (seen === undefined ? allowing.includes(r) : seen.has(r)) continue
      allowing.push(r)
      seen?.add(r)
    }
    return rules.length > 0
  }
  for (const src of source.addresses) {
    let reached = false
    let peers = 0
    if (target.service !== undefined) {
      peers = 1
      if (allow(reach.allowingService(src, target.service, protocols, port))) reached = true
    } else {
      for (const d of target.addresses) {
        if (d.family !== src.family) continue
        peers++
        if (allow(reach.allowing(src, d, protocols, port))) reached = true
      }
    }
    if (peers === 0) continue
    if (reached) (admitted ??= []).push(src)
    else (refused ??= []).push(src)
  }
  return { allowedFromAll: admitted !== undefined && refused === undefined, admitted: admitted ?? none, refused: refused ?? none, allowing }
}

const none: readonly Address[] = []

function names(addresses: readonly Address[], reach: Reachability): string[] {
  return addresses.map((a) => nameOf(a, reach))
}

function nameOf(address: Address, reach: Reachability): string {
  const text = formatIp(address.family, address.value)
  const device = reach.deviceAt(address)
  return device ? `${device.name} (${text})` : text
}

function sshTest(test: SshTest, index: number, world: TestWorld, ssh: (name: string) => readonly SshRuleOut[] | undefined): TestResult[] {
  const srcText = typeof test.src === 'string' ? test.src.trim() : ''
  const base = { section: 'sshTests' as const, index, src: srcText }
  const lists: { key: 'accept' | 'check' | 'deny'; want: Outcome; logins: readonly unknown[] }[] = []
  for (const key of ['accept', 'check', 'deny'] as const) {
    const logins: unknown = test[key]
    if (Array.isArray(logins) && logins.length > 0) lists.push({ key, want: key === 'accept' ? 'Accept' : key === 'check' ? 'Check' : 'Drop', logins })
  }
  if (lists.length === 0) return [{ ...base, passed: false, path: ['sshTests', index], reason: 'the SSH test has no `accept`, `check` or `deny`', rules: [] }]
  const dsts: readonly unknown[] = Array.isArray(test.dst) ? test.dst : []
  // no destination, nothing asserted (a policy applied through Tailscale's API has such a test)
  if (dsts.length === 0) return []

  const source = testSource(test.src, world)
  const out: TestResult[] = []
  for (const { key, want, logins } of lists) {
    logins.forEach((login, i) => {
      const path: JsonPath = ['sshTests', index, key, i]
      const loginText = typeof login === 'string' ? login.trim() : ''
      for (const dstEntry of dsts) {
        const dst = typeof dstEntry === 'string' ? dstEntry.trim() : JSON.stringify(dstEntry)
        const head = { ...base, dst, login: loginText, want, path }
        if (isEndpointFailure(source)) {
          out.push({ ...head, passed: false, reason: source.error, rules: [] })
          continue
        }
        if (loginText === '') {
          out.push({ ...head, passed: false, reason: 'the login must be a non-empty user name', rules: [] })
          continue
        }
        const devices = sshTestDestination(dstEntry, world, source)
        if (isEndpointFailure(devices)) {
          out.push({ ...head, passed: false, reason: devices.error, rules: [] })
          continue
        }
        out.push({ ...head, ...sshVerdict(source, devices, loginText, want, ssh) })
      }
    })
  }
  return out
}

function sshVerdict(
  source: Endpoint,
  devices: readonly Device[],
  login: string,
  want: Outcome,
  ssh: (name: string) => readonly SshRuleOut[] | undefined,
): { got: Outcome; passed: boolean; reason?: string; rules: JsonPath[] } {
  if (source.addresses.length === 0) {
    return want === 'Drop' ? { got: 'Drop', passed: true, rules: [] } : { got: 'Drop', passed: false, reason: `${source.text} has no device to connect from`, rules: [] }
  }
  const wrong: string[] = []
  const seen = new Set<Outcome>()
  const deciding = new Set<number>()
  for (const device of devices) {
    const rules = ssh(device.name) ?? []
    for (const address of source.addresses) {
      const decision = sshDecision(rules, formatIp(address.family, address.value), login)
      const got: Outcome = decision === undefined ? 'Drop' : decision.action === 'check' ? 'Check' : 'Accept'
      const origin = decision === undefined ? undefined : sshRuleOrigin(rules[decision.rule]!)
      if (origin !== undefined) deciding.add(origin)
      seen.add(got)
      if (got !== want) wrong.push(`${formatIp(address.family, address.value)} → ${device.name}: ${got}${origin === undefined ? '' : ` by ssh[${origin}]`}`)
    }
  }
  const rules: JsonPath[] = [...deciding].sort((a, b) => a - b).map((i) => ['ssh', i])
  if (wrong.length === 0) return { got: want, passed: true, rules }
  // the outcome that contradicts the assertion, preferring the opposite of what was wanted
  const opposite: Outcome = want === 'Drop' ? (seen.has('Accept') ? 'Accept' : 'Check') : seen.has('Drop') ? 'Drop' : want === 'Accept' ? 'Check' : 'Accept'
  return { got: opposite, passed: false, reason: `as ${JSON.stringify(login)}: ${few(wrong, '; ')}`, rules }
}

/** a readable prefix of a long list: `a, b, c and 12 more` */
function few(names: readonly string[], separator = ', '): string {
  const shown = 3
  if (names.length <= shown + 1) return names.join(separator)
  return `${names.slice(0, shown).join(separator)} and ${names.length - shown} more`
}

function pathText(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}
