/**
 * One benchmark task, run in its own process so every figure starts from a cold heap and its peak RSS is
 * its own: `node dist-bench/measure.js <task> <repetitions> <args...>` prints `{"times": [ms...],
 * "maxRssMb": n}` (or `{"unavailable": "why"}`). It measures the compiled `dist/` code that users run.
 */
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'

type Task = (args: readonly string[]) => Promise<() => Promise<unknown>>

const dist = join(import.meta.dirname, '..', 'dist')

async function fromDist<T>(module: string): Promise<T | undefined> {
  try {
    return (await import(pathToFileURL(join(dist, module)).href)) as T
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND') return undefined
    throw error
  }
}

class Unavailable extends Error {}

async function need<T>(module: string): Promise<T> {
  const loaded = await fromDist<T>(module)
  if (loaded === undefined) throw new Unavailable(`dist/${module} is not built`)
  return loaded
}

interface LoadModule {
  loadPolicy(path: string): Promise<{ ok: boolean; policy?: unknown; diagnostics?: readonly unknown[] }>
}
interface CheckModule {
  checkPolicy(raw: unknown, options?: { inventory?: unknown }): { ok: boolean }
}
interface DiffModule {
  diffPolicies(base: unknown, head: unknown): unknown
}
interface NetmapModule {
  netmap(policy: unknown, inventory: unknown): unknown
}
interface HujsonModule {
  readHujson(text: string, file: string): { diagnostics: readonly unknown[] }
}

async function loaded(load: LoadModule, file: string): Promise<unknown> {
  const result = await load.loadPolicy(file)
  if (!result.ok) throw new Error(`${file} did not load: ${JSON.stringify(result.diagnostics?.slice(0, 3))}`)
  return result.policy
}

const tasks: Record<string, Task> = {
  // the cheapest possible read of the compiled file: bytes to objects, nothing else
  async floor([file]) {
    return async () => JSON.parse(await readFile(file!, 'utf8'))
  },
  async hujson([file]) {
    const { readHujson } = await need<HujsonModule>('io/read-hujson.js')
    return async () => readHujson(await readFile(file!, 'utf8'), file!)
  },
  async check([file]) {
    const load = await need<LoadModule>('io/load-policy.js')
    const { checkPolicy } = await need<CheckModule>('analyze/check.js')
    return async () => {
      const report = checkPolicy(await loaded(load, file!))
      if (!report.ok) throw new Error(`${file} failed its check: the generated policy's tests must pass`)
      return report
    }
  },
  async diff([base, head]) {
    const load = await need<LoadModule>('io/load-policy.js')
    const { diffPolicies } = await need<DiffModule>('analyze/diff.js')
    return async () => diffPolicies(await loaded(load, base!), await loaded(load, head!))
  },
  async netmap([file, inventoryFile]) {
    const load = await need<LoadModule>('io/load-policy.js')
    const { netmap } = await need<NetmapModule>('analyze/netmap.js')
    return async () => netmap(await loaded(load, file!), JSON.parse(await readFile(inventoryFile!, 'utf8')))
  },
  // `tailor build` minus the write: import the DSL module (jiti), run it, compile to the wire format
  async build([file]) {
    const load = await need<LoadModule>('io/load-policy.js')
    return async () => loaded(load, file!)
  },
}

async function main(): Promise<void> {
  const [name = '', repetitionText = '1', ...args] = process.argv.slice(2)
  const task = tasks[name]
  if (!task) throw new Error(`unknown task ${name}`)
  let run: () => Promise<unknown>
  try {
    run = await task(args)
    // warm-up: module loading and JIT are not what is measured (a single long run is its own warm-up)
    if (Number(repetitionText) > 1) await run()
  } catch (error) {
    if (error instanceof Unavailable) {
      process.stdout.write(`${JSON.stringify({ unavailable: error.message })}\n`)
      return
    }
    throw error
  }
  const times: number[] = []
  for (let i = 0; i < Number(repetitionText); i++) {
    const start = performance.now()
    await run()
    times.push(performance.now() - start)
  }
  process.stdout.write(`${JSON.stringify({ times, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
}

await main()
