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
  Error.stackTraceLimit = 50
  const stack = new Error().stack ?? ''
  Error.stackTraceLimit = limit
  for (const line of stack.split('\n').slice(1)) {
    const frame = readFrame(line)
    if (frame && isUserFile(frame.file)) return { ...frame, file: relativeToCwd(frame.file) }
  }
  return undefined
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
