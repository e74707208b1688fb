import type { Diagnostic } from '../model/diagnostic.js'

/** A file that could not be read at all, as a diagnostic located at its first byte. */
export function unreadableFile(file: string, error: unknown): Diagnostic {
  const code = error instanceof Error && 'code' in error ? error.code : undefined
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : 'cannot be read'
  return { code: 'unreadable-file', severity: 'error', message: `\`${file}\`: ${reason}`, at: { file, line: 1, column: 1 } }
}
