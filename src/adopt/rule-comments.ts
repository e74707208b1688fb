import { createScanner, parseTree, type Node } from 'jsonc-parser'
import { lineColumn, lineStarts } from '../model/text-position.js'

// jsonc-parser's SyntaxKind is a const enum, which verbatimModuleSyntax cannot import
const token = { lineComment: 12, blockComment: 13, eof: 17 } as const

interface Comment {
  readonly offset: number
  readonly line: number
  readonly lines: readonly string[]
}

/**
 * The comments a HuJSON policy writes on its rules and declarations, keyed by the JSON path of the
 * element they sit on (`["acls", 3]`, `["groups", "group:eng"]`): those between the previous element
 * and this one, those inside it, and one trailing it on its last line. A comment trailing the
 * previous element's line belongs to that element, which is how people write them.
 */
export function ruleComments(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (!/\/[/*]/.test(text)) return out
  const comments = scanComments(text)
  if (comments.length === 0) return out
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false })
  if (root?.type !== 'object') return out
  const starts = lineStarts(text)
  const lineOf = (offset: number) => lineColumn(starts, offset).line - 1
  for (const property of root.children ?? []) {
    const section = property.children?.[0]?.value as unknown
    const value = property.children?.[1]
    if (typeof section !== 'string' || value === undefined || (value.type !== 'array' && value.type !== 'object')) continue
    const elements = value.children ?? []
    let from = value.offset + 1
    elements.forEach((element, i) => {
      const next = elements[i + 1]
      const end = element.offset + element.length
      const lastLine = lineOf(end)
      const until = next === undefined ? value.offset + value.length - 1 : next.offset
      const mine = comments.filter(
        (c) => c.offset >= from && (c.offset < end || (c.offset < until && c.line === lastLine)) && !(c.offset < element.offset && trails(c, from, lineOf)),
      )
      if (mine.length > 0) out.set(JSON.stringify([section, keyOf(element, i)]), mine.flatMap((c) => c.lines))
      from = end
    })
  }
  return out
}

// a comment on the same line as the end of the previous element trails that one
function trails(comment: Comment, previousEnd: number, lineOf: (offset: number) => number): boolean {
  return comment.line === lineOf(previousEnd - 1) && previousEnd > 0
}

function keyOf(element: Node, index: number): string | number {
  if (element.type === 'property') {
    const key = element.children?.[0]?.value as unknown
    return typeof key === 'string' ? key : index
  }
  return index
}

function scanComments(text: string): Comment[] {
  const scanner = createScanner(text, false)
  const comments: Comment[] = []
  for (let kind: number = scanner.scan(); kind !== token.eof; kind = scanner.scan()) {
    if (kind !== token.lineComment && kind !== token.blockComment) continue
    const raw = text.slice(scanner.getTokenOffset(), scanner.getTokenOffset() + scanner.getTokenLength())
    const body = kind === token.lineComment ? [raw.replace(/^\/\/\s?/, '')] : raw.replace(/^\/\*+/, '').replace(/\*+\/$/, '').split(/\r?\n/).map((l) => l.replace(/^\s*\*?\s?/, ''))
    const lines = body.map((l) => l.trimEnd())
    while (lines.length > 0 && lines[0]!.trim() === '') lines.shift()
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop()
    if (lines.length > 0) comments.push({ offset: scanner.getTokenOffset(), line: scanner.getTokenStartLine(), lines })
  }
  return comments
}
