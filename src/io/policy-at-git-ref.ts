import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { dirname, extname, join, posix, relative, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import type { Diagnostic, JsonPath, SourceMap } from '../model/diagnostic.js'
import { loadPolicy, type LoadedPolicy, type PolicyLoadFailure } from './load-policy.js'
import { readHujson } from './read-hujson.js'

const run = promisify(execFile)

/**
 * The policy as it was at a git revision (`git:origin/main`, `git:HEAD~1:policy/index.ts`), loaded
 * like a working-tree policy. A policy file is read with `git show`; a DSL policy needs its sibling
 * modules, so its folder is written out at that revision into a temporary folder inside the
 * repository (where the `tailor` import resolves as it does for the real one) and removed after.
 * Locations read `REF:path:line`.
 */
export async function loadPolicyAtRef(spec: string, defaultPath: string, cwd: string): Promise<LoadedPolicy | PolicyLoadFailure> {
  const [ref = 'HEAD', given] = splitSpec(spec)
  const git = async (...args: string[]): Promise<string> => (await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' })).stdout
  let root: string
  let path: string
  try {
    root = (await git('rev-parse', '--show-toplevel')).trim()
    path = given !== undefined && !given.startsWith('./') ? given : toPosix(relative(root, resolve(cwd, given ?? defaultPath)))
    if ((await git('cat-file', '-t', `${ref}:${path}`)).trim() === 'tree') path = posix.join(path, 'index.ts')
    await git('cat-file', '-e', `${ref}:${path}`)
  } catch (error) {
    return failure(spec, `cannot read \`${given ?? defaultPath}\` at \`${ref}\`: ${gitMessage(error)}`)
  }
  const label = `${ref}:${path}`
  if (['.hujson', '.json', '.jsonc'].includes(extname(path).toLowerCase())) {
    const text = await git('show', label)
    const document = readHujson(text, label)
    if (document.diagnostics.length > 0) return { ok: false, file: label, reason: 'invalid', diagnostics: document.diagnostics }
    return { ok: true, file: label, format: 'hujson', policy: document.value, sourceMap: document.sourceMap, text, diagnostics: [] }
  }
  const folder = posix.dirname(path)
  const scratch = await mkdtemp(join(root, '.tailor-tmp-'))
  try {
    const files = (await git('ls-tree', '-r', '--name-only', '-z', ref, '--', folder === '.' ? '.' : `${folder}/`)).split('\0').filter((f) => f !== '')
    for (const file of files) {
      const { stdout } = await run('git', ['show', `${ref}:${file}`], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' })
      await mkdir(dirname(join(scratch, file)), { recursive: true })
      await writeFile(join(scratch, file), stdout)
    }
    const loaded = await loadPolicy(join(scratch, path), cwd)
    const rename = (file: string): string => (file.startsWith(scratch + sep) ? `${ref}:${toPosix(relative(scratch, file))}` : file)
    const diagnostics = loaded.diagnostics.map((d) => (d.at ? { ...d, at: { ...d.at, file: rename(d.at.file) } } : d))
    if (!loaded.ok) return { ...loaded, file: label, diagnostics }
    const sourceMap: SourceMap = {
      locate(jsonPath: JsonPath) {
        const at = loaded.sourceMap.locate(jsonPath)
        return at ? { ...at, file: rename(at.file) } : undefined
      },
    }
    return { ...loaded, file: label, sourceMap, diagnostics }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** `git:REF` or `git:REF:PATH` → `[REF, PATH]`; a ref may not contain `:`, so the first one splits. */
export function splitSpec(spec: string): [string, string | undefined] {
  const body = spec.replace(/^git:/, '')
  const colon = body.indexOf(':')
  return colon < 0 ? [body || 'HEAD', undefined] : [body.slice(0, colon) || 'HEAD', body.slice(colon + 1)]
}

function toPosix(path: string): string {
  return path.split(sep).join('/')
}

function gitMessage(error: unknown): string {
  const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String((error as { stderr: unknown }).stderr).trim() : ''
  const first = stderr.split('\n').find((l) => l.trim() !== '')
  return first ?? (error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error))
}

function failure(spec: string, message: string): PolicyLoadFailure {
  const diagnostic: Diagnostic = {
    code: 'git-policy-unreadable',
    severity: 'error',
    message,
    hint: 'name a revision git knows (`git:HEAD`, `git:origin/main`) and, after a second colon, the policy path from the repository root',
  }
  return { ok: false, file: spec, reason: 'unreadable', diagnostics: [diagnostic] }
}
