import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import type { SourceMap } from '../model/diagnostic.js'
import { diffPolicies, type PolicyDiff } from './diff.js'

export interface LiveDrift {
  /** base: the policy from git; head: the live one, so `broadened` is access someone added outside git */
  readonly diff: PolicyDiff
  readonly drifted: boolean
}

/**
 * Whether the live policy says something git does not. Any semantic change counts, tests and definitions too:
 * they are reviewed like access is. Comments, key order and formatting do not.
 */
export function liveDrift(git: unknown, live: unknown, sources: { readonly gitSource?: SourceMap; readonly liveSource?: SourceMap } = {}): LiveDrift {
  const diff = diffPolicies(git as TailnetPolicy, live as TailnetPolicy, {
    ...(sources.gitSource ? { baseSource: sources.gitSource } : {}),
    ...(sources.liveSource ? { headSource: sources.liveSource } : {}),
  })
  const drifted = diff.broadened.length + diff.narrowed.length + diff.unchanged.length > 0
  return { diff, drifted }
}
