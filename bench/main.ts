/**
 * `npm run bench`: times tailor on synthetic policies of sizes S, M, L and XL (seeded, so anyone gets the
 * same inputs) and prints each figure beside the floor it is compared with: reading and JSON-parsing the
 * same compiled file for the in-process figures, a bare `node -e 0` for the CLI. Writes the table to
 * `bench/results.json`. Options: `--quick` (fewer repetitions, no XL), `--out FILE`.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { changeRules, generateInventory, generatePolicy, policySizes, ruleCount, type PolicySizeName } from '../dist/analyze/generate-policy.js'
import { writeDslPolicy } from './write-dsl-policy.js'

interface Result {
  readonly name: string
  readonly median_ms: number
  readonly min_ms: number
  readonly max_ms: number
  readonly ratio: number | null
  readonly ratio_to: string | null
  readonly peak_rss_mb?: number
  readonly note?: string
}

interface Measured {
  readonly times: readonly number[]
  readonly maxRssMb?: number
}

const repo = join(import.meta.dirname, '..')
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const outIndex = args.indexOf('--out')
const out = outIndex >= 0 ? args[outIndex + 1]! : join(repo, 'bench', 'results.json')
const work = join(tmpdir(), `tailor-bench-${process.pid}`)
mkdirSync(work, { recursive: true })

const sizes: PolicySizeName[] = quick ? ['S', 'M', 'L'] : ['S', 'M', 'L', 'XL']
const repetitions = (size: PolicySizeName): number => (quick ? { S: 5, M: 5, L: 3, XL: 1 } : { S: 15, M: 7, L: 5, XL: 1 })[size]

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

function writeJson(file: string, value: unknown): string {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
  return file
}

log(`generating inputs in ${work}`)
const files = new Map<PolicySizeName, string>()
for (const size of sizes) files.set(size, writeJson(join(work, `policy-${size}.json`), generatePolicy(size)))
const policyL = generatePolicy('L')
const changedL = writeJson(join(work, 'policy-L-changed.json'), changeRules(policyL, 0.01))
const inventory = writeJson(join(work, 'inventory-5000.json'), generateInventory(policyL, 5_000))
const dslL = writeDslPolicy(join(work, 'dsl-L'), policyL)

function measure(task: string, reps: number, ...taskArgs: string[]): Measured | string {
  const run = spawnSync(process.execPath, [join(import.meta.dirname, 'measure.js'), task, String(reps), ...taskArgs], { encoding: 'utf8', timeout: 900_000, maxBuffer: 1 << 24 })
  if (run.status !== 0) return `failed: ${(run.stderr || run.error?.message || '').trim().split('\n').slice(0, 3).join(' ')}`
  const reply = JSON.parse(run.stdout) as Measured | { unavailable: string }
  return 'unavailable' in reply ? reply.unavailable : reply
}

function measureProcess(command: readonly string[], reps: number): Measured | string {
  const times: number[] = []
  for (let i = 0; i <= reps; i++) {
    const start = performance.now()
    const run = spawnSync(command[0]!, command.slice(1), { cwd: repo, encoding: 'utf8', timeout: 60_000 })
    const elapsed = performance.now() - start
    if (run.status !== 0) return `failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(0, 2).join(' ')}`
    if (i > 0) times.push(elapsed) // the first run warms the disk cache and jiti's transform cache
  }
  return { times }
}

const results: Result[] = []
const skipped: string[] = []

function record(name: string, measured: Measured | string, ratioTo: string | null): void {
  if (typeof measured === 'string') {
    skipped.push(`${name}: ${measured}`)
    log(`  ${name}: ${measured}`)
    return
  }
  const sorted = [...measured.times].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]!
  const base = ratioTo === null ? undefined : results.find((r) => r.name === ratioTo)
  const result: Result = {
    name,
    median_ms: round(median),
    min_ms: round(sorted[0]!),
    max_ms: round(sorted[sorted.length - 1]!),
    ratio: base ? round(median / base.median_ms) : null,
    ratio_to: base ? base.name : null,
    ...(measured.maxRssMb !== undefined ? { peak_rss_mb: Math.round(measured.maxRssMb) } : {}),
  }
  results.push(result)
  log(`  ${name}: ${result.median_ms} ms${result.ratio !== null ? ` (${result.ratio}× ${result.ratio_to})` : ''}`)
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

log('floors: read + JSON.parse of the compiled file')
for (const size of sizes) record(`floor-${size}`, measure('floor', repetitions(size), files.get(size)!), null)
record('read-L', measure('hujson', repetitions('L'), files.get('L')!), 'floor-L')

log('check in-process (load + validate + run tests)')
for (const size of sizes) record(`check-${size}`, measure('check', repetitions(size), files.get(size)!), `floor-${size}`)

log('diff of L against L with 1% of its rules changed (load both + diff)')
record('diff-L', measure('diff', repetitions('L'), files.get('L')!, changedL), 'floor-L')

log('netmap of L for 5,000 devices (load + netmap)')
record('netmap-5000', measure('netmap', quick ? 1 : 3, files.get('L')!, inventory), 'floor-L')

log('build of the L policy written in the DSL (jiti import + compile)')
record('build-L', measure('build', 1, dslL), 'floor-L')

log('CLI end to end')
record('node-bare', measureProcess([process.execPath, '-e', '0'], quick ? 5 : 15), null)
record('cli-example', measureProcess([process.execPath, join(repo, 'bin', 'tailor.js'), 'check'], quick ? 5 : 15), 'node-bare')
record('cli-S-hujson', measureProcess([process.execPath, join(repo, 'bin', 'tailor.js'), 'check', '--policy', files.get('S')!], quick ? 5 : 15), 'node-bare')

const machine = `${cpus()[0]?.model.trim() ?? 'unknown cpu'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`
const date = new Date().toISOString()
const report = { machine, date, sizes: { M: policySizes.M, L: policySizes.L, XL: policySizes.XL }, results, skipped }
mkdirSync(dirname(out), { recursive: true })
writeFileSync(`${out}.tmp`, `${JSON.stringify(report, null, 2)}\n`)
renameSync(`${out}.tmp`, out)

const table = [
  `machine: ${machine}`,
  `date: ${date}`,
  '',
  '| name | median ms | min ms | max ms | ratio | to | peak RSS MB |',
  '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
  ...results.map((r) => `| ${r.name} | ${r.median_ms} | ${r.min_ms} | ${r.max_ms} | ${r.ratio ?? ''} | ${r.ratio_to ?? ''} | ${r.peak_rss_mb ?? ''} |`),
]
const byName = new Map(results.map((r) => [r.name, r]))
const checkL = byName.get('check-L')
const checkXL = byName.get('check-XL')
if (checkL && checkXL) {
  table.push('', `growth L → XL (${ruleCount(policySizes.XL) / ruleCount(policySizes.L)}× input): check ×${round(checkXL.median_ms / checkL.median_ms)}`)
}
if (skipped.length > 0) table.push('', 'not measured:', ...skipped.map((s) => `  ${s}`))
process.stdout.write(`${table.join('\n')}\n`)
