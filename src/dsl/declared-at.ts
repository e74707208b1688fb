import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SourceLocation } from '../model/diagnostic.js'

// tailor's own code: `src/` and `dist/` (stack frames of the built code map back to `src/` when
// source maps are enabled)
const packageRoot = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))))
const ownFolders = ['src', 'dist'].map((folder) => path.join(packageRoot, folder) + path.sep)

// the user's frame sits right above a few of tailor's own; a short trace keeps large policies fast
const framesRead = 12

/**
 * The user's position (`policy/access.ts:14:5`) that called into the DSL: the first stack frame
 * outside tailor's own code, node's internals and `node_modules` (loaders such as jiti). Never throws:
 * a frame it cannot read yields `undefined`.
 *
 * Reads V8's structured call sites, not the stack text, and asks for the line and column only when
 * something reads them (a diagnostic, a test result shown with its line): V8 finds a call's position
 * by scanning its function's position table from the start, so resolving every call of a policy
 * module of 5,000 expectations took time quadratic in its size, most of what building it cost.
 */
export function declaredAt(): SourceLocation | undefined {
  // with source maps on, node shows mapped files: read the text it would show, eagerly
  if (process.sourceMapsEnabled) return fromStackText()
  const formatter = Error.prepareStackTrace
  // the user's frame is nearly always right above the DSL function: look there first
  return fromCallSites(callSites(formatter, 3), formatter) ?? fromCallSites(callSites(formatter, framesRead), formatter)
}

type Formatter = typeof Error.prepareStackTrace

function fromCallSites(sites: readonly NodeJS.CallSite[], formatter: Formatter): SourceLocation | undefined {
  for (const site of sites) {
    const name = site.getFileName()
    if (name === undefined || name === null || name === '') continue
    const file = userFile(name)
    if (file !== undefined) return lazyLocation(file, site, formatter)
  }
  return undefined
}

// a plain object to whoever reads it (spread, JSON, equality): `line` and `column` are own enumerable getters
function lazyLocation(file: string, site: NodeJS.CallSite, formatter: Formatter): SourceLocation {
  let position: Position | undefined
  const resolved = () => (position ??= positionOf(site, formatter))
  return {
    file,
    get line() {
      return resolved().line
    },
    get column() {
      return resolved().column
    },
  }
}

interface Position {
  readonly line: number
  readonly column: number
}

/**
 * Where V8 places the call, or, when something else formats stack traces (a test runner mapping
 * transpiled code back to its source, babel hiding its own frames), where that formatter shows it:
 * what users see in their errors is the place to point at.
 */
function positionOf(site: NodeJS.CallSite, formatter: Formatter): Position {
  const direct = { line: site.getLineNumber() ?? 1, column: site.getColumnNumber() ?? 1 }
  if (formatter === undefined || isNodesOwn(formatter)) return direct
  try {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    const error = new Error()
    Error.stackTraceLimit = limit
    const text: unknown = formatter(error, [site])
    const frame = typeof text === 'string' ? readFrame(text.split('\n').at(-1) ?? '') : undefined
    return frame ? { line: frame.line, column: frame.column } : direct
  } catch {
    return direct
  }
}

// node's default formatter, exposed as `Error.prepareStackTrace` since Node 20.20 (undefined before)
function isNodesOwn(formatter: NonNullable<Formatter>): boolean {
  return formatter.name === 'ErrorPrepareStackTrace'
}

function callSites(formatter: Formatter, frames: number): readonly NodeJS.CallSite[] {
  const limit = Error.stackTraceLimit
  const holder: { stack?: unknown } = {}
  try {
    Error.stackTraceLimit = frames
    Error.prepareStackTrace = (_error, sites) => sites
    Error.captureStackTrace(holder, declaredAt)
    // V8 calls `prepareStackTrace` on the first read of `stack`, so it is read before restoring
    const sites = holder.stack
    return Array.isArray(sites) ? (sites as NodeJS.CallSite[]) : []
  } catch {
    return []
  } finally {
    Error.prepareStackTrace = formatter
    Error.stackTraceLimit = limit
  }
}

function fromStackText(): SourceLocation | undefined {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = framesRead
  const stack = new Error().stack ?? ''
  Error.stackTraceLimit = limit
  for (const line of stack.split('\n').slice(1)) {
    const frame = readFrame(line)
    if (frame === undefined) continue
    const file = userFile(frame.file)
    if (file !== undefined) return { file, line: frame.line, column: frame.column }
  }
  return undefined
}

function readFrame(line: string): SourceLocation | undefined {
  const match = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim())
  return match ? { file: match[1]!, line: Number(match[2]), column: Number(match[3]) } : undefined
}

const userFiles = new Map<string, string | undefined>()

/** The file as the user sees it (relative to the working directory), or undefined for tailor's own and loaders' files. */
function userFile(name: string): string | undefined {
  if (!userFiles.has(name)) userFiles.set(name, fromName(name))
  return userFiles.get(name)
}

function fromName(name: string): string | undefined {
  let file = name
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file)
    } catch {
      return undefined
    }
  }
  return isUserFile(file) ? relativeToCwd(file) : undefined
}

function isUserFile(file: string): boolean {
  if (!path.isAbsolute(file)) return false
  if (ownFolders.some((folder) => file.startsWith(folder))) return false
  return !file.split(path.sep).includes('node_modules')
}

function relativeToCwd(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/')
}
