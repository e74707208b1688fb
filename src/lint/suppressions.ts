import { createScanner } from 'jsonc-parser'
import { formatPath } from '../analyze/flows.js'
import type { Diagnostic, JsonPath } from '../model/diagnostic.js'
import type { LintIgnore } from './config.js'

/** `// tailor-ignore <rule>: <reason>` in a HuJSON policy: silences `rule` on one line. */
export interface Suppression {
  readonly rule: string
  readonly reason: string
  /** the comment's own line (1-based) */
  readonly line: number
  /** the line it silences: its own when it trails code, otherwise the next line with code */
  readonly target: number
}

// jsonc-parser's SyntaxKind is a const enum, which verbatimModuleSyntax cannot import
const token = { lineComment: 12, blockComment: 13, lineBreak: 14, trivia: 15, eof: 17 } as const

const pattern = /tailor-ignore\s+([a-z0-9-]+)\s*(?::\s*(.*?))?\s*(?:\*\/)?$/

export function inlineSuppressions(text: string, file: string): { suppressions: Suppression[]; diagnostics: Diagnostic[] } {
  const scanner = createScanner(text, false)
  const suppressions: Suppression[] = []
  const diagnostics: Diagnostic[] = []
  const pending: { rule: string; reason: string; line: number }[] = []
  let lastCodeLine = -1
  for (let kind: number = scanner.scan(); kind !== token.eof; kind = scanner.scan()) {
    const line = scanner.getTokenStartLine() + 1
    if (kind === token.lineComment || kind === token.blockComment) {
      const found = pattern.exec(scanner.getTokenValue().replace(/^\/[/*]\s*/, ''))
      if (!found) continue
      const rule = found[1]!
      const reason = (found[2] ?? '').trim()
      if (reason === '') {
        diagnostics.push({
          code: 'lint-ignore-without-reason',
          severity: 'warning',
          message: `\`tailor-ignore ${rule}\` has no reason, so it silences nothing`,
          at: { file, line, column: scanner.getTokenStartCharacter() + 1 },
          hint: `write why the finding is deliberate: \`// tailor-ignore ${rule}: <reason>\``,
        })
      } else if (lastCodeLine === line) {
        suppressions.push({ rule, reason, line, target: line })
      } else {
        pending.push({ rule, reason, line })
      }
      continue
    }
    if (kind === token.trivia || kind === token.lineBreak) continue
    lastCodeLine = line
    for (const p of pending.splice(0)) suppressions.push({ ...p, target: line })
  }
  return { suppressions, diagnostics }
}

/**
 * Opt-outs a DSL policy carries in its rules' reasons, which the compiler keeps as comments on the
 * rules it emits: `p.allow(p.tag.admin).to(p.any).because('tailor-ignore wildcard-destination: break-glass')`.
 */
export function optOutsFromComments(comments: readonly { readonly path: JsonPath; readonly lines: readonly string[] }[]): LintIgnore[] {
  const found: LintIgnore[] = []
  for (const comment of comments) {
    for (const line of comment.lines) {
      const match = /tailor-ignore\s+([a-z0-9-]+)\s*:\s*(\S.*?)\s*$/.exec(line)
      if (match) found.push({ rule: match[1]!, path: formatPath(comment.path), reason: match[2]! })
    }
  }
  return found
}
