import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { CoverageReport } from '../analyze/coverage.js'
import type { EndpointExpander, PolicyFlows } from '../analyze/flows.js'
import type { JsonPath, Severity, SourceMap } from '../model/diagnostic.js'
import type { Reference } from './references.js'

/**
 * A least-privilege rule: a stable id, a default severity, one line saying what it looks for, and a
 * check that returns every finding (never the first only). Each rule lives in `rules/<id>.ts`.
 */
export interface LintRule {
  /** stable kebab-case id; it is the diagnostic's `code` and the name opt-outs use */
  readonly id: string
  readonly severity: Severity
  readonly description: string
  check(context: LintContext): readonly LintFinding[]
}

/** What a rule reports: what is wrong (lowercase, names in backticks), where, and how to fix it. */
export interface LintFinding {
  readonly message: string
  readonly path: JsonPath
  readonly hint: string
}

/** Everything a rule may read, computed once per lint run. */
export interface LintContext {
  readonly policy: TailnetPolicy
  readonly flows: PolicyFlows
  readonly expand: EndpointExpander
  readonly references: readonly Reference[]
  readonly coverage: CoverageReport
  /** ports each destination's service listens on, from the lint config (`services`) */
  readonly services: ReadonlyMap<string, string>
  /** to name another rule's location in a message (`grants[0]` at `policy.hujson:4`) */
  readonly source: SourceMap
}
