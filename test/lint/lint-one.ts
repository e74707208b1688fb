import { expect } from 'vitest'
import type { TailnetPolicy } from '../../src/compile/tailnet-policy.js'
import { readHujson } from '../../src/io/read-hujson.js'
import type { LintConfig } from '../../src/lint/config.js'
import { lintPolicy, type LintResult } from '../../src/lint/lint.js'
import { inlineSuppressions } from '../../src/lint/suppressions.js'

/** Lints a HuJSON policy text with one rule (or all), keeping locations and inline opt-outs. */
export function lintText(text: string, only?: string, config?: LintConfig): LintResult {
  const document = readHujson(text, 'policy.hujson')
  expect(document.diagnostics).toStrictEqual([])
  const { suppressions } = inlineSuppressions(text, 'policy.hujson')
  return lintPolicy(document.value as TailnetPolicy, { source: document.sourceMap, suppressions, ...(only ? { only: [only] } : {}), ...(config ? { config } : {}) })
}

/** `line  message` and the hint, for verbatim assertions. */
export function findings(text: string, only: string, config?: LintConfig): string[] {
  return lintText(text, only, config).diagnostics.map((d) => `${d.at?.line ?? '-'}  ${d.severity}  ${d.code}  ${d.message}  → ${d.hint ?? ''}`)
}
