/**
 * The `policies/` section of the conformance run: public policy files written by people.
 *
 * API (the runner calls it): `policyCases(root, options?) → PolicyCases`, where `root` is the
 * conformance folder (with `policies/index.json`).
 * - `expect: "tests-pass"`: `checkPolicy` (no inventory: a synthetic tailnet) accepts the file, so
 *   every one of its `tests` and `sshTests` passes; then each mutant, a copy with one assertion
 *   moved to the opposite list (`accept`→`deny`, `deny`→`accept`, sshTests `check`→`deny`), must
 *   be rejected. A mutant that passes means the evaluator cannot tell the assertion from its opposite.
 * - `expect: "no-crash"`: `checkPolicy` returns (any verdict) and every error has a location.
 * Files are never special-cased: a failure here is a rule to fix, or a file whose own tests
 * contradict its rules (the report says which assertion).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkPolicy } from '../src/analyze/check.js'
import { readHujson } from '../src/io/read-hujson.js'

export interface PolicyOutcome {
  readonly id: string
  readonly passed: boolean
  readonly reason?: string
}

export interface PolicyCases {
  readonly outcomes: PolicyOutcome[]
  readonly skips: { id: string; reason: string }[]
  /** counts, as printed: tests-pass files, assertions, mutants caught, no-crash files */
  readonly notes: string[]
}

export interface PolicyCaseOptions {
  /** at most this many mutants per file, spread over its assertions (default: all) */
  readonly mutantsPerFile?: number
}

interface IndexEntry {
  readonly id: string
  readonly expect: string
}

export function policyCases(root: string, options: PolicyCaseOptions = {}): PolicyCases {
  const dir = join(root, 'policies')
  const indexFile = join(dir, 'index.json')
  const result: PolicyCases = { outcomes: [], skips: [], notes: [] }
  if (!existsSync(indexFile)) {
    result.skips.push({ id: 'policies', reason: `${indexFile} not found` })
    return result
  }
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as IndexEntry[]
  let filesPassing = 0
  let filesTotal = 0
  let assertions = 0
  let assertionsPassing = 0
  let mutantsCaught = 0
  let mutantsTotal = 0
  let noCrash = 0
  let noCrashTotal = 0
  for (const entry of index) {
    const id = `policies/${entry.id}`
    const doc = readHujson(readFileSync(join(dir, `${entry.id}.hujson`), 'utf8'), `${entry.id}.hujson`)
    if (entry.expect !== 'tests-pass') {
      noCrashTotal++
      const outcome = noCrashCase(id, doc.value, doc.diagnostics.length > 0)
      if (outcome.passed) noCrash++
      result.outcomes.push(outcome)
      continue
    }
    filesTotal++
    const report = safeCheck(doc.value)
    if ('crash' in report) {
      result.outcomes.push({ id, passed: false, reason: `crashed: ${report.crash}` })
      continue
    }
    assertions += report.tests.results.length
    assertionsPassing += report.tests.passed
    if (!report.ok) {
      const first = report.diagnostics.find((d) => d.severity === 'error')
      result.outcomes.push({ id, passed: false, reason: `${report.tests.failed}/${report.tests.results.length} own assertions fail; first: ${first ? `${JSON.stringify(first.path ?? [])} ${first.message}` : '?'}` })
      continue
    }
    filesPassing++
    result.outcomes.push({ id, passed: true })
    const mutants = mutantsOf(doc.value, options.mutantsPerFile)
    for (const mutant of mutants) {
      mutantsTotal++
      const verdict = safeCheck(mutant.policy)
      const caught = 'crash' in verdict || !verdict.ok
      if (caught) mutantsCaught++
      else result.outcomes.push({ id: `${id}/mutant:${mutant.id}`, passed: false, reason: `the mutant with ${mutant.description} passes: the assertion is not decided by the rules alone` })
    }
  }
  result.notes.push(`tests-pass files: ${filesPassing}/${filesTotal} pass all their own assertions (${assertionsPassing}/${assertions} assertions)`)
  result.notes.push(`mutants (one assertion moved accept↔deny): ${mutantsCaught}/${mutantsTotal} rejected`)
  result.notes.push(`no-crash files: ${noCrash}/${noCrashTotal} checked without crash, every error located`)
  return result
}

function noCrashCase(id: string, value: unknown, unreadable: boolean): PolicyOutcome {
  if (unreadable || value === undefined) return { id, passed: true }
  const report = safeCheck(value)
  if ('crash' in report) return { id, passed: false, reason: `crashed: ${report.crash}` }
  const unlocated = report.diagnostics.find((d) => d.severity === 'error' && d.path === undefined && d.at === undefined)
  return unlocated ? { id, passed: false, reason: `unlocated error: ${unlocated.message}` } : { id, passed: true }
}

function safeCheck(value: unknown): ReturnType<typeof checkPolicy> | { crash: string } {
  try {
    return checkPolicy(value)
  } catch (error) {
    return { crash: error instanceof Error ? error.message : String(error) }
  }
}

interface Mutant {
  /** without spaces, for ids: `tests[2].accept[0]→deny` */
  readonly id: string
  readonly description: string
  readonly policy: unknown
}

const opposite: Readonly<Record<string, Record<string, string>>> = {
  tests: { accept: 'deny', allow: 'deny', deny: 'accept' },
  sshTests: { accept: 'deny', check: 'deny', deny: 'accept' },
}

/** Copies of the policy with one assertion moved to the opposite list; `limit` spreads a sample evenly. */
export function mutantsOf(value: unknown, limit?: number): Mutant[] {
  if (typeof value !== 'object' || value === null) return []
  const policy = value as Record<string, unknown>
  const all: Mutant[] = []
  for (const section of ['tests', 'sshTests'] as const) {
    const tests = policy[section]
    if (!Array.isArray(tests)) continue
    tests.forEach((t: unknown, i) => {
      if (typeof t !== 'object' || t === null) return
      const test = t as Record<string, unknown>
      for (const [from, to] of Object.entries(opposite[section] ?? {})) {
        const list = test[from]
        if (!Array.isArray(list)) continue
        list.forEach((moved: unknown, j) => {
          const target = test[to]
          const changed = { ...test, [from]: list.filter((_, k) => k !== j), [to]: [...(Array.isArray(target) ? target : []), moved] }
          all.push({
            id: `${section}[${i}].${from}[${j}]→${to}`,
            description: `${section}[${i}].${from}[${j}] ${JSON.stringify(moved)} → ${to}`,
            policy: { ...policy, [section]: tests.map((x: unknown, k) => (k === i ? changed : x)) },
          })
        })
      }
    })
  }
  if (limit === undefined || all.length <= limit) return all
  return Array.from({ length: limit }, (_, k) => all[Math.floor((k * all.length) / limit)]!)
}
