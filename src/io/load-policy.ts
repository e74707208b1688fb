import { createRequire } from 'node:module'
import { readFile, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Jiti } from 'jiti'
import { compilePolicy, type CompiledPolicy } from '../compile/compile.js'
import { isPolicy } from '../dsl/define-policy.js'
import type { Diagnostic, SourceLocation, SourceMap } from '../model/diagnostic.js'
import { decodeUtf8 } from './decode-utf8.js'
import { unreadableFile } from './unreadable-file.js'

/** A policy read from disk, in Tailscale's wire format, with a map back to the lines that produced it. */
export interface LoadedPolicy {
  readonly ok: true
  /** the file that was read (a folder given as `--policy` resolves to its `index.ts`) */
  readonly file: string
  readonly format: 'dsl' | 'hujson'
  /** the wire-format policy: compiled from the DSL, or parsed from HuJSON and not yet validated */
  readonly policy: unknown
  /** JSON path in `policy` → `policy/*.ts` line of the DSL call, or line and column in the HuJSON file */
  readonly sourceMap: SourceMap
  /** for a DSL policy, what the compiler returned (the HuJSON renderer needs its comments) */
  readonly compiled?: CompiledPolicy
  /** a policy file's text as read (comments and all), for applying exactly what was reviewed */
  readonly text?: string
  /** what the DSL and its compiler found wrong; the wire policy is not to be applied when one is an error */
  readonly diagnostics: readonly Diagnostic[]
}

/** Why a policy could not be loaded; `unreadable` means the input itself (exit 2), `invalid` a wrong policy (exit 1). */
export interface PolicyLoadFailure {
  readonly ok: false
  readonly file: string
  readonly reason: 'unreadable' | 'invalid'
  readonly diagnostics: readonly Diagnostic[]
}

const dslExtensions = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'])
const hujsonExtensions = new Set(['.hujson', '.json', '.jsonc'])

/**
 * Loads a policy the way every command sees it: a DSL module (`.ts`, `.js`) is imported with jiti (no
 * build step needed) and compiled; a `.hujson`/`.json` file is parsed keeping offsets. Problems come
 * back as located diagnostics, never as a thrown error or a stack trace.
 */
export async function loadPolicy(path: string, cwd = process.cwd()): Promise<LoadedPolicy | PolicyLoadFailure> {
  let file = resolve(cwd, path)
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.ts')
  } catch (error) {
    return { ok: false, file, reason: 'unreadable', diagnostics: [unreadableFile(path, error)] }
  }
  const extension = extname(file).toLowerCase()
  if (hujsonExtensions.has(extension)) return loadHujson(file)
  if (dslExtensions.has(extension)) return loadDsl(file, shownAs(file, cwd))
  return {
    ok: false,
    file,
    reason: 'unreadable',
    diagnostics: [
      {
        code: 'unsupported-policy-file',
        severity: 'error',
        message: `\`${path}\` is neither a DSL module nor a policy file`,
        at: { file, line: 1, column: 1 },
        hint: 'pass a DSL module (`.ts`, `.js`) or a Tailscale policy file (`.hujson`, `.json`)',
      },
    ],
  }
}

async function loadHujson(file: string): Promise<LoadedPolicy | PolicyLoadFailure> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (error) {
    return { ok: false, file, reason: 'unreadable', diagnostics: [unreadableFile(file, error)] }
  }
  const decoded = decodeUtf8(bytes, file)
  if ('diagnostic' in decoded) return { ok: false, file, reason: 'invalid', diagnostics: [decoded.diagnostic] }
  const { text } = decoded
  // the HuJSON parser (jsonc-parser) is loaded only for policy files, not for a DSL policy
  const { readHujson } = await import('./read-hujson.js')
  const document = readHujson(text, file)
  if (document.diagnostics.length > 0) return { ok: false, file, reason: 'invalid', diagnostics: document.diagnostics }
  return { ok: true, file, format: 'hujson', policy: document.value, sourceMap: document.sourceMap, text, diagnostics: [] }
}

// messages name the file as the user sees it from where they stand
function shownAs(file: string, cwd: string): string {
  const inside = relative(cwd, file)
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside.split(sep).join('/') : file
}

async function loadDsl(file: string, shown: string): Promise<LoadedPolicy | PolicyLoadFailure> {
  let module: unknown
  try {
    module = await policyLoader().import(file)
  } catch (error) {
    return { ok: false, file, reason: 'unreadable', diagnostics: [moduleFailed(file, shown, error)] }
  }
  let exported = policyExport(module)
  // a policy built asynchronously (e.g. reading a team file first) exports a promise of it
  if (isThenable(exported)) {
    try {
      exported = await exported
    } catch (error) {
      return { ok: false, file, reason: 'unreadable', diagnostics: [moduleFailed(file, shown, error)] }
    }
  }
  if (exported === undefined) {
    return {
      ok: false,
      file,
      reason: 'unreadable',
      diagnostics: [
        {
          code: 'policy-export-missing',
          severity: 'error',
          message: `\`${shown}\` exports no policy`,
          at: { file, line: 1, column: 1 },
          hint: 'end the module with `export default definePolicy(...)`',
        },
      ],
    }
  }
  return compileExport(file, shown, exported)
}

let loader: Jiti | undefined

// one loader per process; jiti and its transformer are only paid for when a DSL policy is loaded.
// jiti is required, not imported: importing its CommonJS bundle from ESM first scans all of it for
// export names (cjs-module-lexer), a good part of the start-up of `tailor check`.
function policyLoader(): Jiti {
  loader ??= (createRequire(import.meta.url)('jiti') as typeof import('jiti')).createJiti(import.meta.url, {
      // a policy imports the DSL by the package's name; resolve it to this very copy of tailor, so a
      // policy built with it is the one this compiler understands, in any repo and without a build step
      alias: { tailor: ownEntry() },
      // re-read on every load: `check` after an edit, or two policies in one test run, see current code
      moduleCache: false,
      interopDefault: false,
    })
  return loader
}

function ownEntry(): string {
  // running from dist/ this is dist/index.js; under vitest (from source) it is src/index.ts
  const fromSource = import.meta.url.endsWith('.ts')
  return fileURLToPath(new URL(fromSource ? '../index.ts' : '../index.js', import.meta.url))
}

function policyExport(module: unknown): unknown {
  if (typeof module !== 'object' || module === null) return undefined
  const record = module as Record<string, unknown>
  return record['default'] ?? record['policy']
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

function moduleFailed(file: string, shown: string, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error)
  const at = error instanceof Error ? userFrame(error, file) : undefined
  return {
    code: 'policy-module-failed',
    severity: 'error',
    message: `loading \`${shown}\` failed: ${firstLine(message)}`,
    at: at ?? { file, line: 1, column: 1 },
  }
}

/** The deepest frame of `error` in the user's policy folder: the line to open. */
export function userFrame(error: Error, policyFile: string): SourceLocation | undefined {
  const folder = resolve(policyFile, '..')
  for (const line of (error.stack ?? '').split('\n')) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line)
    if (!match) continue
    const frameFile = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!
    if (frameFile.startsWith(folder) && !frameFile.includes('/node_modules/')) return { file: frameFile, line: Number(match[2]), column: Number(match[3]) }
  }
  return undefined
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

function compileExport(file: string, shown: string, exported: unknown): LoadedPolicy | PolicyLoadFailure {
  if (!isPolicy(exported)) {
    return {
      ok: false,
      file,
      reason: 'unreadable',
      diagnostics: [
        {
          code: 'policy-export-invalid',
          severity: 'error',
          message: `the default export of \`${shown}\` is not a policy made with \`definePolicy\``,
          at: { file, line: 1, column: 1 },
          hint: 'export the result of `definePolicy(...)` from `tailor`; a Tailscale policy as plain JSON belongs in a `.hujson` file',
        },
      ],
    }
  }
  const compiled = compilePolicy(exported)
  return { ok: true, file, format: 'dsl', policy: compiled.policy, sourceMap: compiled.sourceMap, compiled, diagnostics: compiled.diagnostics }
}
