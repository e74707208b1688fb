/**
 * The `import` section of `npm run conformance`: every valid policy goes through `tailor import`'s
 * pure half (`importPolicy`), the generated files are written to a scratch folder and loaded the way
 * `tailor diff` loads a `.ts` policy (jiti, `tailor` resolved to this copy), and the compiled result
 * must be the same access as the original by the very engine `tailor diff` uses (no flow, ssh,
 * group, tag owner, host, app capability or other definition broadened or narrowed, and the same
 * tests), with the original tests passing on it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Jiti } from 'jiti'
import { importPolicy } from '../src/adopt/import-policy.js'
import { diffPolicies, type PolicyChange } from '../src/analyze/diff.js'
import type { TailnetPolicy } from '../src/compile/tailnet-policy.js'
import { compilePolicy } from '../src/compile/compile.js'
import { isPolicy } from '../src/dsl/define-policy.js'
import * as tailor from '../src/index.js'

export interface ImportCase {
  readonly id: string
  readonly policy: TailnetPolicy
  /** the HuJSON text, when the case has one: its comments are carried over */
  readonly text?: string
  /** the original's tests, run on the compiled result: undefined when they pass */
  readonly testsFail: (compiled: TailnetPolicy) => string | undefined
  readonly category?: string
}

export interface ImportOutcome {
  readonly id: string
  readonly passed: boolean
  readonly reason?: string
  readonly category?: string
  /** how many parts went through p.raw */
  readonly raw: number
}

export async function importRoundTrips(cases: readonly ImportCase[]): Promise<ImportOutcome[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'tailor-import-'))
  const outcomes: ImportOutcome[] = []
  try {
    for (const [n, c] of cases.entries()) outcomes.push(await roundTrip(c, join(scratch, String(n))))
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  return outcomes
}

let jiti: Promise<Jiti> | undefined

/**
 * One loader for the whole run. Generated files are transformed as `src/io/load-policy.ts` does (jiti),
 * and their `import … from 'tailor'` is this very copy of the DSL, already loaded: transforming
 * tailor's own source again for each of a thousand policies would be most of the run.
 */
function loader(): Promise<Jiti> {
  jiti ??= import('jiti').then(({ createJiti }) => createJiti(import.meta.url, { virtualModules: { tailor }, moduleCache: true, interopDefault: false, fsCache: false }))
  return jiti
}

async function roundTrip(c: ImportCase, dir: string): Promise<ImportOutcome> {
  const base = { id: `import/${c.id}`, ...(c.category === undefined ? {} : { category: c.category }) }
  let raw = 0
  try {
    const imported = importPolicy(c.policy, c.text === undefined ? {} : { text: c.text, source: `${c.id}.hujson` })
    raw = imported.raw.length
    for (const file of imported.files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true })
      writeFileSync(join(dir, file.path), file.text)
    }
    const module = (await (await loader()).import(join(dir, 'index.ts'))) as { default?: unknown }
    if (!isPolicy(module.default)) return { ...base, raw, passed: false, reason: 'generated index.ts exports no policy' }
    const result = compilePolicy(module.default)
    const error = result.diagnostics.find((d) => d.severity === 'error')
    if (error) return { ...base, raw, passed: false, reason: `generated DSL does not compile: ${error.message}` }
    const compiled = result.policy
    const diff = diffPolicies(c.policy, compiled)
    const changed: PolicyChange[] = [...diff.broadened, ...diff.narrowed, ...diff.unchanged.filter((d) => d.kind === 'test' || d.kind === 'sshTest')]
    if (changed.length > 0) return { ...base, raw, passed: false, reason: `${changed.length} change(s), first: ${describe(changed[0]!)}` }
    const failing = c.testsFail(compiled)
    if (failing !== undefined) return { ...base, raw, passed: false, reason: `the original tests fail on the compiled result: ${failing}` }
    return { ...base, raw, passed: true }
  } catch (e) {
    return { ...base, raw, passed: false, reason: `crashed: ${e instanceof Error ? e.message : String(e)}` }
  }
}

function describe(change: PolicyChange): string {
  switch (change.kind) {
    case 'flow':
      return `${change.direction} ${change.src} → ${change.dst} ${change.access}`
    case 'app':
      return `${change.direction} app ${change.src} → ${change.dst} ${change.capability}`
    case 'ssh':
      return `${change.direction} ssh ${change.src} → ${change.dst} as ${change.user} (${change.before} → ${change.after})`
    default:
      return `${change.direction} ${change.kind} ${change.subject}: ${change.change} ${change.item}`
  }
}
