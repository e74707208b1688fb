import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validatePolicy } from '../src/analyze/validate-policy.js'
import { readHujson } from '../src/io/read-hujson.js'
import { hasErrors, type Diagnostic } from '../src/model/diagnostic.js'

/** One policy judged by `validatePolicy` next to what Tailscale (or headscale) answered for it. */
export interface ValidationCase {
  readonly id: string
  readonly category: string
  readonly expected: 'accept' | 'reject'
  readonly expectedMessage?: string
  readonly got: 'accept' | 'reject'
  readonly messages: string[]
  /** for rejections: some message contains the expected one; for acceptances: the verdicts agree */
  readonly messageMatches: boolean
}

// Tailscale validates a policy before it runs the policy's tests, so a `test(s) failed` answer means the
// file itself was valid: for validation those cases are acceptances.
const TESTS_FAILED = 'test(s) failed'

// headscale rejects malformed test entries while parsing; Tailscale answers the same inputs with
// `test(s) failed` (captures policytest-malformed-*, policytest-port-shape-*, sshtest-malformed-empty-user),
// so they are questions for the test runner, not for validation
const TEST_ENTRY_ERRORS = /^(test entry must|test protocol must|test destination|autogroup:internet not valid as a test destination|SSH tests entry must)/

/**
 * Every case under `root` (the shared conformance folder) that says whether a policy is valid:
 * Tailscale's captures (`tailscale/*.json`, status 200 or 400; 500 is skipped), headscale's parse
 * cases with an expected error or `valid: true` (headscale's own deviations and test-entry errors
 * skipped), and the public
 * policy files marked `tests-pass`.
 */
export function validationCases(root: string): ValidationCase[] {
  return [...tailscaleCases(root), ...headscaleCases(root), ...publicPolicyCases(root)]
}

interface Capture {
  id: string
  category: string
  tailnet?: string
  policy: unknown
  api: { status: number; body: { message?: string } | null }
}

function tailscaleCases(root: string): ValidationCase[] {
  const folder = join(root, 'tailscale')
  const cases: ValidationCase[] = []
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    const capture = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Capture
    const { status } = capture.api
    if (status !== 200 && status !== 400) continue
    const message = capture.api.body?.message
    const rejects = status === 400 && message !== TESTS_FAILED
    cases.push(judge(capture.id, capture.category, capture.policy, capture.tailnet, rejects ? 'reject' : 'accept', rejects ? message : undefined))
  }
  return cases
}

interface HeadscaleCase {
  id: string
  category: string
  origin: string
  policy?: unknown
  policy_hujson?: string
  headscale_divergence?: string
  expect: { error?: string; valid?: boolean }
}

function headscaleCases(root: string): ValidationCase[] {
  const all = JSON.parse(readFileSync(join(root, 'headscale', 'cases.json'), 'utf8')) as HeadscaleCase[]
  const cases: ValidationCase[] = []
  for (const c of all) {
    // SaaS captures are already judged from tailscale/; divergences are headscale's own rules
    if (c.origin === 'tailscale-saas-capture' || c.headscale_divergence !== undefined) continue
    const error = c.expect.error
    if (error === undefined && c.expect.valid !== true) continue
    if (error !== undefined && TEST_ENTRY_ERRORS.test(error)) continue
    const rejects = error !== undefined && !error.startsWith(TESTS_FAILED)
    cases.push(judge(c.id, `headscale-${c.category}`, c.policy_hujson ?? c.policy, undefined, rejects ? 'reject' : 'accept', rejects ? error : undefined))
  }
  return cases
}

interface PolicyIndexEntry {
  id: string
  expect: string
  dialect: string
}

function publicPolicyCases(root: string): ValidationCase[] {
  const folder = join(root, 'policies')
  const index = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8')) as PolicyIndexEntry[]
  return index
    .filter((entry) => entry.expect === 'tests-pass')
    .map((entry) => judge(`policy-${entry.id}`, 'policy', readFileSync(join(folder, `${entry.id}.hujson`), 'utf8'), undefined, 'accept', undefined))
}

/** A policy given as text (HuJSON) or as a value, judged like `tailor check` judges a file. */
export function judgePolicy(policy: unknown, tailnet: string | undefined): Diagnostic[] {
  if (typeof policy === 'string') {
    const document = readHujson(policy, 'policy.hujson')
    if (document.diagnostics.length > 0) return [...document.diagnostics]
    return validatePolicy(document.value, tailnet === undefined ? {} : { tailnet }).diagnostics
  }
  return validatePolicy(policy, tailnet === undefined ? {} : { tailnet }).diagnostics
}

function judge(id: string, category: string, policy: unknown, tailnet: string | undefined, expected: 'accept' | 'reject', expectedMessage: string | undefined): ValidationCase {
  const diagnostics = judgePolicy(policy, tailnet)
  const messages = diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)
  const got: 'accept' | 'reject' = hasErrors(diagnostics) ? 'reject' : 'accept'
  const messageMatches = expected === 'reject' ? got === 'reject' && (expectedMessage === undefined || messages.some((m) => m.includes(expectedMessage))) : got === 'accept'
  const base = { id, category, expected, got, messages, messageMatches }
  return expectedMessage === undefined ? base : { ...base, expectedMessage }
}
