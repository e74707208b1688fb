import { execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, test } from 'vitest'

/**
 * End to end, as a team would: pack this package, `tailor init` a new repository depending on the tarball,
 * install it without the network (from the npm cache `npm ci` filled, through a lockfile), then run scan, check, lint, build and diff there.
 * Slow by nature, hence `.e2e` in its name: `npm install` of Pulumi's dependency tree takes ~20 s, plus a build
 * (~20-40 s) when dist/ is older than src/ (`npm test` builds first, so there it is skipped). Measured: pack 2 s,
 * install 23 s, each command 3 s: ~40 s after a build, ~2 min with one on 2 cores under load.
 */
const run = promisify(execFile)
const root = fileURLToPath(new URL('../../..', import.meta.url))
const made: string[] = []

afterAll(async () => {
  for (const folder of made) await rm(folder, { recursive: true, force: true })
})

async function newestMtime(folder: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs)
  }
  return newest
}

async function ensureBuilt(): Promise<void> {
  const built = await stat(join(root, 'dist/cli/main.js')).then((s) => s.mtimeMs, () => 0)
  if (built >= (await newestMtime(join(root, 'src')))) return
  // type errors elsewhere in a shared tree must not hide this test's verdict: tsc still emits, and the
  // commands below show whether what was emitted works
  await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root }).catch(() => undefined)
}

interface Lockfile {
  readonly packages: Readonly<Record<string, { readonly dev?: boolean }>>
}

/**
 * The lockfile `npm install` would write for the scaffolded repository: tailor from the tarball, and below it the
 * very tree our own lockfile pins for tailor's dependencies (its non-dev entries). With it, `npm ci --offline` takes
 * every package from the cache by integrity; without one, npm resolves names through registry metadata, which
 * `npm ci` never caches, so an offline install would pass only on a machine that happened to have it.
 */
async function lockfileFor(repo: string): Promise<string> {
  const ours = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as Lockfile
  const tailor = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, unknown>
  const scaffolded = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { name: string; dependencies: { tailor: string } }
  const packages: Record<string, unknown> = {
    '': { name: scaffolded.name, dependencies: scaffolded.dependencies, engines: tailor.engines },
    'node_modules/tailor': {
      version: tailor.version,
      resolved: scaffolded.dependencies.tailor,
      license: tailor.license,
      dependencies: tailor.dependencies,
      bin: tailor.bin,
      engines: tailor.engines,
    },
  }
  for (const [path, entry] of Object.entries(ours.packages)) if (path !== '' && !entry.dev) packages[path] = entry
  return JSON.stringify({ name: scaffolded.name, lockfileVersion: 3, requires: true, packages }, null, 2)
}

describe('tailor init, end to end', () => {
  test('a scaffolded repository installs from the packed tarball offline and runs scan, check, lint, build and diff', { timeout: 300_000 }, async () => {
    // GIVEN: the package as npm would publish it
    await ensureBuilt()
    const work = await mkdtemp(join(tmpdir(), 'tailor-e2e-'))
    made.push(work)
    const { stdout: packed } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: root })
    const tarball = join(work, packed.trim().split('\n').at(-1)!)
    const repo = join(work, 'acme-tailnet')

    // WHEN: a team scaffolds its repository and installs it
    const init = await run('node', [join(root, 'bin/tailor.js'), 'init', repo, '--tailor-spec', `file:${tarball}`])
    expect(init.stdout).toContain('created a policy repository')
    await writeFile(join(repo, 'package-lock.json'), await lockfileFor(repo))
    const install = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: repo, timeout: 120_000 })
    // every dependency's install script was reviewed (package.json `allowScripts`): npm warns of none
    expect(install.stderr).not.toContain('install scripts')
    const tailor = (...args: string[]) => run('npx', ['--no-install', 'tailor', ...args], { cwd: repo }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    )

    // THEN
    const scan = await tailor('scan')
    expect(scan.code, scan.stdout + scan.stderr).toBe(0)
    const check = await tailor('check')
    expect(check.code, check.stdout + check.stderr).toBe(0)
    const lint = await tailor('lint')
    expect(lint.code, lint.stdout + lint.stderr).toBe(0)
    const build = await tailor('build', '--format', 'json')
    expect(build.code, build.stderr).toBe(0)
    expect(JSON.parse(build.stdout)).toHaveProperty('grants')
    const diff = await tailor('diff', 'policy/index.ts', 'policy/index.ts')
    expect(diff.code, diff.stderr).toBe(0)
  })
})
