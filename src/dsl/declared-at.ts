import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SourceLocation } from '../model/diagnostic.js'

// tailor's own code: `src/` and `dist/` (stack frames of the built code map back to `src/` when
// source maps are enabled)
const packageRoot = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))))
const ownFolders = ['src', 'dist'].map((folder) => path.join(packageRoot, folder) + path.sep)

/**
 * The user's position (`policy/access.ts:14:5`) that called into the DSL: the first stack frame
 * outside tailor's own code, node's internals and `node_modules` (loaders such as jiti). Relies on
 * V8's stack format; a frame it cannot read yields `undefined`, never an error.
 */
export function declaredAt(): SourceLocation | undefined {
  const limit = Error.stackTraceLimit
  // the user's frame sits right above a few of tailor's own; a short trace keeps large policies fast
  Error.stackTraceLimit = 12
  const stack = new Error().stack ?? ''
  Error.stackTraceLimit = limit
  for (const line of stack.split('\n').slice(1)) {
    const frame = readFrame(line)
    if (frame === undefined) continue
    const file = userFile(frame.file)
    if (file !== undefined) return { ...frame, file }
  }
  return undefined
}

const userFiles = new Map<string, string | undefined>()

/** The file as the user sees it (relative to the working directory), or undefined for tailor's own and loaders' files. */
function userFile(file: string): string | undefined {
  if (!userFiles.has(file)) userFiles.set(file, isUserFile(file) ? relativeToCwd(file) : undefined)
  return userFiles.get(file)
}

function readFrame(line: string): SourceLocation | undefined {
  const match = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim())
  if (!match) return undefined
  let file = match[1]!
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file)
    } catch {
      return undefined
    }
  }
  return { file, line: Number(match[2]), column: Number(match[3]) }
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
