/** Where a finding sits in a policy file, as a path of keys and indexes (`["grants", 2, "src", 0]`). */
export type JsonPath = readonly (string | number)[]

/** A position a person can open: `policy/access.ts:14:5` or `policy.hujson:3:7` (1-based). */
export interface SourceLocation {
  readonly file: string
  readonly line: number
  readonly column: number
}

export type Severity = 'error' | 'warning' | 'info'

/**
 * One problem, as data. Passes collect these and never print or throw; the CLI renders them.
 * `path` points into the wire-format policy; `at` is filled in at the edge from a {@link SourceMap}
 * (HuJSON offsets, or the DSL call that produced that part of the file).
 */
export interface Diagnostic {
  /** stable, kebab-case id, e.g. `unknown-tag`, `invalid-port`, `test-failed` */
  readonly code: string
  readonly severity: Severity
  /** lowercase, names in backticks; Tailscale's own words where Tailscale has some */
  readonly message: string
  readonly path?: JsonPath
  readonly at?: SourceLocation
  /** how to fix it, e.g. "did you mean `tag:frontend`?" */
  readonly hint?: string
}

/** Maps a JSON path of the wire-format policy to the source position that produced it. */
export interface SourceMap {
  locate(path: JsonPath): SourceLocation | undefined
}

export const noSourceMap: SourceMap = { locate: () => undefined }

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}
