import { basename } from 'node:path'
import { formatPath } from '../analyze/flows.js'
import type { JsonPath, SourceMap } from '../model/diagnostic.js'

/** `grants[0]`, with `(policy.hujson:4)` when the source map knows where it is. */
export function describeRule(path: JsonPath, source: SourceMap): string {
  const at = source.locate(path)
  return at ? `\`${formatPath(path)}\` (${basename(at.file)}:${at.line})` : `\`${formatPath(path)}\``
}
