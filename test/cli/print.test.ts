import { describe, expect, test } from 'vitest'
import { bufferTerminal, diagnosticJson, displayPath, printJson, printText, renderDiagnostic, renderDiagnostics, summarizeDiagnostics } from '../../src/cli/print.js'
import type { Diagnostic } from '../../src/model/diagnostic.js'

const unknownTag: Diagnostic = {
  code: 'unknown-tag',
  severity: 'error',
  message: 'tag `tag:frontnd` is not declared',
  path: ['grants', 0, 'src', 0],
  at: { file: '/repo/policy/access.ts', line: 14, column: 5 },
  hint: 'did you mean `tag:frontend`?',
}

describe('print', () => {
  test('a diagnostic reads location first, then severity, code and message, and the hint on its own line', () => {
    // WHEN
    const text = renderDiagnostic(unknownTag, '/repo')
    // THEN
    expect(text).toBe('policy/access.ts:14:5  error  unknown-tag  tag `tag:frontnd` is not declared\n  → did you mean `tag:frontend`?')
  })

  test('a diagnostic without a location says so instead of inventing one', () => {
    // GIVEN
    const { at: _at, hint: _hint, ...bare } = unknownTag
    // THEN
    expect(renderDiagnostics([bare], '/repo')).toBe('(policy)  error  unknown-tag  tag `tag:frontnd` is not declared\n')
  })

  test('--json diagnostics carry every key, null where unknown, with paths relative to the working folder', () => {
    // GIVEN
    const { hint: _hint, ...noHint } = unknownTag
    // THEN
    expect(diagnosticJson(noHint, '/repo')).toEqual({
      code: 'unknown-tag',
      severity: 'error',
      message: 'tag `tag:frontnd` is not declared',
      file: 'policy/access.ts',
      line: 14,
      column: 5,
      hint: null,
    })
  })

  test('paths outside the working folder stay absolute; file URLs become paths', () => {
    expect(displayPath('/elsewhere/policy.hujson', '/repo')).toBe('/elsewhere/policy.hujson')
    expect(displayPath('file:///repo/policy/index.ts', '/repo')).toBe('policy/index.ts')
    expect(displayPath('policy.hujson', '/repo')).toBe('policy.hujson')
  })

  test('a Tailscale key never reaches the terminal, on stdout, stderr or in JSON', () => {
    // GIVEN
    const key = ['tskey', 'client', 'kAbCdEf1CNTRL', 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2'].join('-')
    const terminal = bufferTerminal()
    // WHEN
    printText(terminal, `the API refused ${key}`)
    printJson(terminal, { message: `bad ${key}` })
    terminal.err(`failed with ${key}\n`)
    // THEN
    const everything = terminal.stdout() + terminal.stderr()
    expect(everything).not.toContain(key.slice(13))
    expect(everything).toContain('tskey-client-[redacted]')
    expect(() => JSON.parse(terminal.stdout().split('\n').slice(1).join('\n'))).not.toThrow()
  })

  test('summaries count errors and warnings', () => {
    expect(summarizeDiagnostics([])).toBe('no problems')
    expect(summarizeDiagnostics([unknownTag, { ...unknownTag, severity: 'warning' }, unknownTag])).toBe('2 errors, 1 warning')
  })
})
