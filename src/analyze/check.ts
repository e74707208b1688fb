/**
 * What Tailscale does before it accepts a policy, offline: validate it, then run its `tests` and
 * `sshTests`. This is `tailor check`; `--json` prints the report as it is.
 *
 * API (stable): `checkPolicy(raw, { inventory?, tailnet? }) → CheckReport`
 *
 * Without an inventory the tests run on a synthetic tailnet (`synthetic-inventory.ts`), one device
 * per identity the policy names, so a policy's tests run with no credential; every fact that had to
 * be assumed is reported as an `info` diagnostic. A failing assertion is an error diagnostic
 * (`test-failed`) at the JSON path of its entry, in Tailscale's words: `want: Accept, got: Drop`.
 */
import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import { hasErrors, type Diagnostic } from '../model/diagnostic.js'
import type { Inventory } from '../model/inventory.js'
import { runTests, type TestResult } from './run-tests.js'
import { synthesizeTailnet, type SyntheticTailnet } from './synthetic-inventory.js'
import { validatePolicy } from './validate-policy.js'

export interface CheckOptions {
  /** the real tailnet's users and devices; without it a synthetic one is used */
  readonly inventory?: Inventory
  /** the tailnet's name, for `user:*@domain` checks; defaults to the inventory's */
  readonly tailnet?: string
}

export interface CheckReport {
  /** valid, and every test passes */
  readonly ok: boolean
  readonly diagnostics: Diagnostic[]
  readonly tests: { readonly passed: number; readonly failed: number; readonly results: TestResult[] }
}

export function checkPolicy(raw: unknown, options: CheckOptions = {}): CheckReport {
  const tailnet = options.tailnet ?? options.inventory?.tailnet
  const validation = validatePolicy(raw, tailnet === undefined ? {} : { tailnet })
  const diagnostics = [...validation.diagnostics]
  const policy = validation.policy
  if (policy === undefined) return { ok: false, diagnostics, tests: { passed: 0, failed: 0, results: [] } }
  const hasTests = (policy.tests ?? []).length > 0 || (policy.sshTests ?? []).length > 0
  if (!hasTests) return { ok: !hasErrors(diagnostics), diagnostics, tests: { passed: 0, failed: 0, results: [] } }

  let results: readonly TestResult[]
  if (options.inventory) results = runTests(policy, options.inventory)
  else {
    const world = synthetic(policy, tailnet, diagnostics)
    results = world.results ?? runTests(policy, world.inventory)
  }
  for (const result of results) if (!result.passed) diagnostics.push(testFailure(result))
  const failed = results.filter((r) => !r.passed).length
  return { ok: !hasErrors(diagnostics), diagnostics, tests: { passed: results.length - failed, failed, results: [...results] } }
}

function synthetic(policy: TailnetPolicy, tailnet: string | undefined, diagnostics: Diagnostic[]): SyntheticTailnet {
  const world = synthesizeTailnet(policy, tailnet === undefined ? {} : { tailnet })
  const { inventory, assumptions } = world
  diagnostics.push({
    code: 'synthetic-tailnet',
    severity: 'info',
    message: `no inventory given: tests ran on a synthetic tailnet of ${inventory.nodes.length} devices, one per user and tag the policy names`,
    hint: 'pass the real tailnet (`--nodes nodes.json`) to test against its users and devices',
  })
  for (const { fact, evidence } of assumptions) {
    const [first] = evidence
    // one test alone shows it: offline that test cannot be told from its opposite
    const alone = evidence.length === 1
    diagnostics.push({
      code: 'synthetic-assumption',
      severity: alone ? 'warning' : 'info',
      message: alone ? `assumed from this test alone: ${fact}` : `assumed from ${evidence.length} tests: ${fact}`,
      ...(first ? { path: first } : {}),
      hint: alone
        ? 'the policy does not say this, so offline this test passes either way; check against the real tailnet (`--nodes nodes.json`)'
        : 'the policy does not say this; a real inventory decides it',
    })
  }
  return world
}

function testFailure(result: TestResult): Diagnostic {
  const verdict = result.want !== undefined && result.got !== undefined ? `: want: ${result.want}, got: ${result.got}` : ''
  const proto = result.proto ? ` (${result.proto})` : ''
  const what =
    result.section === 'sshTests'
      ? `\`${result.src}\` → \`${result.dst ?? '?'}\` as \`${result.login ?? ''}\``
      : result.dst !== undefined
        ? `\`${result.src}\` → \`${result.dst}\`${proto}`
        : `\`${result.src}\``
  return {
    code: 'test-failed',
    severity: 'error',
    message: `test(s) failed: ${what}${verdict}`,
    path: result.path,
    ...(result.reason ? { hint: result.reason } : {}),
  }
}
