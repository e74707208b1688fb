import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import { coverageOf } from '../analyze/coverage.js'
import { compareText, endpointExpander, flowsOf, formatPath } from '../analyze/flows.js'
import { noSourceMap, type Diagnostic, type SourceMap } from '../model/diagnostic.js'
import { emptyLintConfig, type LintConfig } from './config.js'
import { referencesOf } from './references.js'
import type { LintContext, LintRule } from './rule.js'
import { acceptOnlyTests } from './rules/accept-only-tests.js'
import { duplicateRule } from './rules/duplicate-rule.js'
import { emptyGroup } from './rules/empty-group.js'
import { overlappingRules } from './rules/overlapping-rules.js'
import { shadowedRule } from './rules/shadowed-rule.js'
import { sshRootAccept } from './rules/ssh-root-accept.js'
import { unownedTag } from './rules/unowned-tag.js'
import { untestedRule } from './rules/untested-rule.js'
import { unusedGroup } from './rules/unused-group.js'
import { unusedHost } from './rules/unused-host.js'
import { unusedTag } from './rules/unused-tag.js'
import { widePortRange } from './rules/wide-port-range.js'
import { wildcardDestination } from './rules/wildcard-destination.js'
import { wildcardSource } from './rules/wildcard-source.js'
import type { Suppression } from './suppressions.js'

/** Every lint rule, in the order findings of equal location are listed. */
export const lintRules: readonly LintRule[] = [
  wildcardSource,
  wildcardDestination,
  shadowedRule,
  duplicateRule,
  overlappingRules,
  widePortRange,
  untestedRule,
  unusedTag,
  unownedTag,
  emptyGroup,
  unusedGroup,
  unusedHost,
  sshRootAccept,
  acceptOnlyTests,
]

export interface LintOptions {
  readonly config?: LintConfig
  readonly source?: SourceMap
  /** `// tailor-ignore <rule>: <reason>` comments of a HuJSON policy ({@link inlineSuppressions}) */
  readonly suppressions?: readonly Suppression[]
  /** run only these rules (the lint tests use it to look at one rule at a time) */
  readonly only?: readonly string[]
}

/** A finding someone opted out of, and why. */
export interface SuppressedFinding {
  readonly diagnostic: Diagnostic
  readonly reason: string
}

export interface LintResult {
  readonly diagnostics: readonly Diagnostic[]
  readonly suppressed: readonly SuppressedFinding[]
}

export function lintPolicy(policy: TailnetPolicy, options: LintOptions = {}): LintResult {
  const config = options.config ?? emptyLintConfig
  const source = options.source ?? noSourceMap
  const context: LintContext = {
    policy,
    flows: flowsOf(policy),
    expand: endpointExpander(policy),
    references: referencesOf(policy),
    coverage: coverageOf(policy, source),
    services: new Map(Object.entries(config.services)),
    source,
  }
  const diagnostics: Diagnostic[] = []
  const suppressed: SuppressedFinding[] = []
  const known = new Set(lintRules.map((r) => r.id))
  for (const s of options.suppressions ?? []) {
    if (!known.has(s.rule)) diagnostics.push(unknownRule(s.rule, `\`tailor-ignore ${s.rule}\``, { file: '', line: s.line, column: 1 }))
  }
  for (const i of config.ignore) if (!known.has(i.rule)) diagnostics.push(unknownRule(i.rule, `the lint config's ignore entry for \`${i.rule}\``))
  for (const [id] of Object.entries(config.rules)) if (!known.has(id)) diagnostics.push(unknownRule(id, `the lint config's level for \`${id}\``))

  for (const rule of lintRules) {
    if (options.only && !options.only.includes(rule.id)) continue
    const severity = config.rules[rule.id] ?? rule.severity
    if (severity === 'off') continue
    for (const finding of rule.check(context)) {
      const at = source.locate(finding.path)
      const diagnostic: Diagnostic = { code: rule.id, severity, message: finding.message, path: finding.path, ...(at ? { at } : {}), hint: finding.hint }
      const inline = at && (options.suppressions ?? []).find((s) => s.rule === rule.id && s.target === at.line)
      const configured = config.ignore.find((i) => i.rule === rule.id && (i.path === undefined || i.path === formatPath(finding.path)) && (i.match === undefined || finding.message.includes(i.match)))
      const reason = inline ? inline.reason : configured?.reason
      if (reason !== undefined) suppressed.push({ diagnostic, reason })
      else diagnostics.push(diagnostic)
    }
  }
  return { diagnostics: diagnostics.sort(byLocation), suppressed: suppressed.sort((a, b) => byLocation(a.diagnostic, b.diagnostic)) }
}

function unknownRule(id: string, where: string, at?: { file: string; line: number; column: number }): Diagnostic {
  return {
    code: 'lint-unknown-rule',
    severity: 'warning',
    message: `${where} names no lint rule`,
    ...(at && at.file !== '' ? { at } : {}),
    hint: `lint rules are ${lintRules.map((r) => `\`${r.id}\``).join(', ')}`,
  }
}

function byLocation(a: Diagnostic, b: Diagnostic): number {
  return compareText(a.at?.file ?? '', b.at?.file ?? '') || (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.column ?? 0) - (b.at?.column ?? 0) || compareText(a.code, b.code) || compareText(a.message, b.message)
}
