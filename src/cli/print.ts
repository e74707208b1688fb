import { isAbsolute, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Diagnostic, Severity } from '../model/diagnostic.js'
import { redact } from '../model/redact.js'

/**
 * Where the CLI's words go. This module is the only code that writes to the terminal; commands
 * receive a `Terminal` so tests can capture exactly what a user would see.
 */
export interface Terminal {
  out(text: string): void
  err(text: string): void
}

export const processTerminal: Terminal = {
  out: (text) => void process.stdout.write(redactSecrets(text)),
  err: (text) => void process.stderr.write(redactSecrets(text)),
}

/** A terminal that keeps what is written, for tests and for callers that render elsewhere. */
export function bufferTerminal(): Terminal & { readonly stdout: () => string; readonly stderr: () => string } {
  let stdout = ''
  let stderr = ''
  return {
    out: (text) => void (stdout += redactSecrets(text)),
    err: (text) => void (stderr += redactSecrets(text)),
    stdout: () => stdout,
    stderr: () => stderr,
  }
}

/** Every path to the terminal goes through here: a key that reaches an error message is never shown. */
export function redactSecrets(text: string): string {
  return redact(text)
}

export function printText(terminal: Terminal, text: string): void {
  terminal.out(text.endsWith('\n') || text === '' ? text : `${text}\n`)
}

export function printError(terminal: Terminal, text: string): void {
  terminal.err(text.endsWith('\n') ? text : `${text}\n`)
}

/** Stable JSON: two-space indent, one trailing newline, keys in the order the value holds them. */
export function printJson(terminal: Terminal, value: unknown): void {
  terminal.out(`${JSON.stringify(value, null, 2)}\n`)
}

/** A diagnostic as the `--json` outputs carry it: every key present, `null` where unknown. */
export interface DiagnosticJson {
  readonly code: string
  readonly severity: Severity
  readonly message: string
  readonly file: string | null
  readonly line: number | null
  readonly column: number | null
  readonly hint: string | null
}

export function diagnosticJson(diagnostic: Diagnostic, cwd = process.cwd()): DiagnosticJson {
  return {
    code: diagnostic.code,
    severity: diagnostic.severity,
    message: diagnostic.message,
    file: diagnostic.at ? displayPath(diagnostic.at.file, cwd) : null,
    line: diagnostic.at?.line ?? null,
    column: diagnostic.at?.column ?? null,
    hint: diagnostic.hint ?? null,
  }
}

/**
 * `policy/access.ts:14:5  error  unknown-tag  message`, then the hint on its own line. A finding with no
 * place is shown as `unplaced`: `(policy)` for the policy as a whole, `(tailscale api)` when the tailnet
 * could not be asked, so nobody looks for the fault in their policy.
 */
export function renderDiagnostic(diagnostic: Diagnostic, cwd = process.cwd(), unplaced = '(policy)'): string {
  const where = diagnostic.at ? `${displayPath(diagnostic.at.file, cwd)}:${diagnostic.at.line}:${diagnostic.at.column}` : unplaced
  const head = `${where}  ${diagnostic.severity}  ${diagnostic.code}  ${diagnostic.message}`
  return diagnostic.hint ? `${head}\n  → ${diagnostic.hint}` : head
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], cwd = process.cwd(), unplaced = '(policy)'): string {
  return diagnostics.map((d) => `${renderDiagnostic(d, cwd, unplaced)}\n`).join('')
}

/** Paths the way a user typed them: relative to where they stand, `file://` URLs turned into paths. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const path = file.startsWith('file://') ? fileURLToPath(file) : file
  if (!isAbsolute(path)) return path
  const inside = relative(cwd, path)
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside.split(sep).join('/') : path
}

/** `1 error, 2 warnings`, or `no problems`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Severity) => diagnostics.filter((d) => d.severity === severity).length
  const parts = [
    [count('error'), 'error', 'errors'],
    [count('warning'), 'warning', 'warnings'],
  ] as const
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
  return said.length > 0 ? said.join(', ') : 'no problems'
}
