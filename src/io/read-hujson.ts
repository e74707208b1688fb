import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser'
import type { Diagnostic, JsonPath, SourceLocation, SourceMap } from '../model/diagnostic.js'
import { lineColumn, lineStarts } from '../model/text-position.js'

/** A parsed HuJSON document: its value (undefined when unreadable), where each part sits, and what was wrong. */
export interface HujsonDocument {
  readonly value: unknown
  readonly sourceMap: SourceMap
  readonly diagnostics: readonly Diagnostic[]
}

/**
 * Parses HuJSON (JSON plus comments and trailing commas, tailscale.com/kb/1337) and keeps offsets so every
 * finding can point at `file:line:column`. jsonc-parser accepts exactly that grammar; JSON5 extras
 * (single quotes, unquoted keys, NaN, hex) are syntax errors here as they are for Tailscale.
 */
export function readHujson(text: string, file: string): HujsonDocument {
  let lines: number[] | undefined
  const locationOf = (offset: number): SourceLocation => ({ file, ...lineColumn((lines ??= lineStarts(text)), offset) })
  const tooDeep = firstTooDeep(text)
  if (tooDeep !== undefined) {
    return {
      value: undefined,
      sourceMap: { locate: () => locationOf(tooDeep) },
      diagnostics: [{
        code: 'too-deep',
        severity: 'error',
        message: `invalid HuJSON: arrays and objects nest deeper than ${MAX_DEPTH} levels`,
        at: locationOf(tooDeep),
        hint: 'a policy file nests a few levels deep; this looks generated or corrupted',
      }],
    }
  }
  const standard = standardJson(text)
  if (standard !== undefined) {
    const diagnostics = standard.duplicates.map(({ key, offset }) => duplicateKey(key, locationOf(offset)))
    let tree: Node | undefined
    const sourceMap = treeSourceMap(() => (tree ??= parseTree(text, [], parseOptions)), locationOf)
    return { value: diagnostics.length === 0 ? standard.value : undefined, sourceMap, diagnostics }
  }
  const errors = new CappedErrors()
  const root = parseTree(text, errors, parseOptions)
  const diagnostics: Diagnostic[] = errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => ({
    code: 'hujson-syntax',
    severity: 'error',
    message: `invalid HuJSON: ${describeParseError(printParseErrorCode(e.error))}`,
    at: locationOf(e.offset),
    hint: 'policy files are JSON with // and /* */ comments and trailing commas; strings and keys take double quotes',
  }))
  if (errors.total > MAX_SYNTAX_ERRORS) {
    diagnostics.push({
      code: 'hujson-syntax',
      severity: 'error',
      message: `invalid HuJSON: ${errors.total - MAX_SYNTAX_ERRORS} more syntax errors not shown`,
      at: locationOf(errors[MAX_SYNTAX_ERRORS]!.offset),
      hint: 'fix the first error; the rest often follow from it',
    })
  }
  if (text.charCodeAt(0) === 0xfeff) {
    diagnostics.unshift({
      code: 'hujson-syntax',
      severity: 'error',
      message: 'invalid HuJSON: the file starts with a byte order mark',
      at: locationOf(0),
      hint: 'save the file as UTF-8 without a BOM',
    })
  }
  if (root) diagnostics.push(...duplicateKeys(root, locationOf))
  const value = diagnostics.length === 0 && root ? nodeValue(root) : undefined
  return { value, sourceMap: treeSourceMap(() => root, locationOf), diagnostics }
}

const parseOptions = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false }

// the syntax tree is only needed to point at a finding, so a valid policy never pays for it
function treeSourceMap(tree: () => Node | undefined, locationOf: (offset: number) => SourceLocation): SourceMap {
  return {
    locate(path: JsonPath) {
      const root = tree()
      if (!root) return undefined
      // the deepest node that exists: a missing key points at its parent object
      for (let depth = path.length; depth >= 0; depth--) {
        const node = findNodeAtLocation(root, path.slice(0, depth) as (string | number)[])
        if (node) return locationOf(node.parent?.type === 'property' && node.parent.children?.[1] === node ? node.parent.offset : node.offset)
      }
      return undefined
    },
  }
}

function duplicateKey(key: string, at: SourceLocation): Diagnostic {
  return { code: 'duplicate-key', severity: 'error', message: `duplicate key \`${key}\``, at, hint: 'a key may appear once per object; merge the two entries' }
}

/**
 * The fast path for a well-formed file: one linear scan drops comments and trailing commas and notes
 * duplicate keys, then the engine's `JSON.parse` builds the value (about 15× faster than walking
 * jsonc-parser's tree on a 5 MB policy). Anything unusual returns undefined, and the caller takes the
 * slow path, whose tree gives every syntax error its position.
 */
function standardJson(text: string): { value: unknown; duplicates: { key: string; offset: number }[] } | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined
  const cuts: number[] = [] // [from, to) pairs, in order
  const duplicates: { key: string; offset: number }[] = []
  const keys: (Set<string> | null)[] = []
  let last = 0 // the last significant character: a quote for a string, a letter or digit for other values
  let lastComma = -1
  let beforeComma = 0
  let stringStart = -1
  let stringEnd = -1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue
    if (c === 0x22) {
      let end = text.indexOf('"', i + 1)
      while (end > 0 && escaped(text, end)) end = text.indexOf('"', end + 1)
      if (end < 0) return undefined
      stringStart = i
      stringEnd = end
      i = end
    } else if (c === 0x2f) {
      const next = text.charCodeAt(i + 1)
      let end: number
      if (next === 0x2f) {
        end = i + 2
        while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++
      } else if (next === 0x2a) {
        end = text.indexOf('*/', i + 2)
        if (end < 0) return undefined
        end += 2
      } else return undefined
      cuts.push(i, end)
      i = end - 1
      continue
    } else if (c === 0x7b) keys.push(new Set())
    else if (c === 0x5b) keys.push(null)
    else if (c === 0x7d || c === 0x5d) {
      if (last === 0x2c) {
        // a trailing comma is one that follows a value
        if (beforeComma === 0x2c || beforeComma === 0x3a || beforeComma === 0x7b || beforeComma === 0x5b || beforeComma === 0) return undefined
        cuts.push(lastComma, lastComma + 1)
      }
      keys.pop()
    } else if (c === 0x3a) {
      const seen = keys[keys.length - 1]
      if (seen && last === 0x22) {
        let key = text.slice(stringStart + 1, stringEnd)
        if (key.includes('\\')) {
          try {
            key = JSON.parse(`"${key}"`) as string
          } catch {
            return undefined
          }
        }
        if (seen.has(key)) duplicates.push({ key, offset: stringStart })
        seen.add(key)
      }
    } else if (c === 0x2c) {
      beforeComma = last
      lastComma = i
    }
    last = c
  }
  let standard = text
  if (cuts.length > 0) {
    const pieces: string[] = []
    let from = 0
    for (let k = 0; k < cuts.length; k += 2) {
      pieces.push(text.slice(from, cuts[k]), ' ')
      from = cuts[k + 1]!
    }
    pieces.push(text.slice(from))
    standard = pieces.join('')
  }
  try {
    return { value: JSON.parse(standard), duplicates }
  } catch {
    return undefined
  }
}

function escaped(text: string, quote: number): boolean {
  let backslashes = 0
  for (let i = quote - 1; i >= 0 && text.charCodeAt(i) === 0x5c; i--) backslashes++
  return backslashes % 2 === 1
}

/** Deeper than any real policy (they nest a handful of levels), shallow enough for every recursive pass after parsing. */
export const MAX_DEPTH = 256

// a garbage file yields one error per token; the first few say all there is to say
const MAX_SYNTAX_ERRORS = 20

/** jsonc-parser pushes every error it meets: 50 MB of junk is ten million objects unless the list stops growing. */
class CappedErrors extends Array<ParseError> {
  total = 0
  // slices and maps of it are plain lists
  static override get [Symbol.species](): ArrayConstructor {
    return Array
  }
  override push(...items: ParseError[]): number {
    for (const item of items) if (this.total++ <= MAX_SYNTAX_ERRORS) super.push(item)
    return this.length
  }
}

/**
 * The offset of the first `[` or `{` that opens level {@link MAX_DEPTH} + 1, skipping strings and comments.
 * jsonc-parser's `parseTree` recurses once per level, so a hostile file 100k levels deep would overflow the
 * stack before any diagnostic could be made; this scan is linear and allocation-free.
 */
function firstTooDeep(text: string): number | undefined {
  // a closer only counts when it matches the innermost opener: the parser may keep a level open past a
  // stray `]`, and counting it would let `{]{]{]…` hide its depth
  const open: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5b || c === 0x7b) {
      if (open.push(c) > MAX_DEPTH) return i
    } else if (c === 0x5d || c === 0x7d) {
      if (open[open.length - 1] === c - 2) open.pop()
    } else if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i)
        if (s === 0x5c) i++
        else if (s === 0x22 || s === 0x0a || s === 0x0d) break
      }
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 1
    }
  }
  return undefined
}

function duplicateKeys(root: Node, locationOf: (offset: number) => SourceLocation): Diagnostic[] {
  const found: Diagnostic[] = []
  const stack: Node[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'object') {
      const seen = new Set<string>()
      for (const property of node.children ?? []) {
        const key = property.children?.[0]?.value as string | undefined
        if (key === undefined) continue
        if (seen.has(key)) found.push(duplicateKey(key, locationOf(property.offset)))
        seen.add(key)
      }
    }
    for (const child of node.children ?? []) stack.push(child)
  }
  return found.sort((a, b) => a.at!.line - b.at!.line || a.at!.column - b.at!.column)
}

// built iteratively: a hostile file may nest arrays 100k deep, deeper than the call stack
function nodeValue(root: Node): unknown {
  const results = new Map<Node, unknown>()
  const stack: { node: Node; expanded: boolean }[] = [{ node: root, expanded: false }]
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    const { node } = top
    if (node.type !== 'object' && node.type !== 'array') {
      results.set(node, node.value)
      stack.pop()
      continue
    }
    const children = node.type === 'object' ? (node.children ?? []).map((p) => p.children?.[1]).filter((c): c is Node => c !== undefined) : node.children ?? []
    if (!top.expanded) {
      top.expanded = true
      for (const child of children) stack.push({ node: child, expanded: false })
      continue
    }
    if (node.type === 'array') {
      results.set(node, children.map((c) => results.get(c)))
    } else {
      const object: Record<string, unknown> = {}
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? []
        if (key && value) Object.defineProperty(object, key.value as string, { value: results.get(value), enumerable: true, writable: true, configurable: true })
      }
      results.set(node, object)
    }
    for (const child of children) results.delete(child)
    stack.pop()
  }
  return results.get(root)
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'expected a key in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected `:` after the key',
    CommaExpected: 'expected `,` between entries',
    CloseBraceExpected: 'expected `}` to close the object',
    CloseBracketExpected: 'expected `]` to close the array',
    EndOfFileExpected: 'unexpected content after the end of the document',
    InvalidCommentToken: 'malformed comment',
    UnexpectedEndOfComment: 'a /* comment is never closed',
    UnexpectedEndOfString: 'a string is never closed',
    UnexpectedEndOfNumber: 'a number is cut off',
    InvalidUnicode: 'invalid \\u escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  }
  return words[code] ?? code
}
