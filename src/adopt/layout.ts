/**
 * A tiny pretty printer for the TypeScript the importer writes: a call or a literal stays on one line
 * when it fits the width and breaks one item per line (with a trailing comma) when it does not, the
 * way a person formats code under a formatter's default width.
 */
export type Doc = string | ListDoc | ConcatDoc | ChainDoc

/** `p.allow(a).to(b).because(c)`: when it does not fit, one `.call` per line, as formatters write chains. */
interface ChainDoc {
  readonly kind: 'chain'
  readonly links: readonly Doc[]
}

interface ListDoc {
  readonly kind: 'list'
  readonly open: string
  readonly items: readonly Doc[]
  readonly close: string
  /** `{ a: 1 }` reads better with inner spaces on one line; calls and arrays have none */
  readonly spaced: boolean
}

interface ConcatDoc {
  readonly kind: 'concat'
  readonly parts: readonly Doc[]
}

export const width = 110

export function list(open: string, items: readonly Doc[], close: string, spaced = false): Doc {
  return { kind: 'list', open, items, close, spaced }
}

export function concat(...parts: readonly Doc[]): Doc {
  return { kind: 'concat', parts }
}

export function chain(...links: readonly Doc[]): Doc {
  return links.length === 1 ? links[0]! : { kind: 'chain', links }
}

/** `callee(a, b)`, breaking its arguments when the call does not fit. */
export function call(callee: string, args: readonly Doc[]): Doc {
  // one object or list argument hugs the parentheses: `p.raw({` … `})`
  const [only] = args
  if (args.length === 1 && only !== undefined && typeof only !== 'string' && only.kind === 'list') return concat(`${callee}(`, only, ')')
  return concat(callee, list('(', args, ')'))
}

/** The text of `doc` starting at `column` of a line indented by `indent` spaces. */
export function layout(doc: Doc, indent = 0, column = indent): string {
  const flat = inline(doc)
  if (column + flat.length <= width && !flat.includes('\n')) return flat
  if (typeof doc === 'string') return doc
  if (doc.kind === 'chain') {
    const [head, ...rest] = doc.links
    const pad = ' '.repeat(indent + 2)
    return [layout(head!, indent, column), ...rest.map((link) => `${pad}${layout(link, indent + 2)}`)].join('\n')
  }
  if (doc.kind === 'concat') {
    let out = ''
    let col = column
    for (const part of doc.parts) {
      const text = layout(part, indent, col)
      out += text
      const newline = text.lastIndexOf('\n')
      col = newline === -1 ? col + text.length : text.length - newline - 1
    }
    return out
  }
  if (doc.items.length === 0) return `${doc.open}${doc.close}`
  const pad = ' '.repeat(indent + 2)
  const items = doc.items.map((item) => `${pad}${layout(item, indent + 2)},`)
  return `${doc.open}\n${items.join('\n')}\n${' '.repeat(indent)}${doc.close}`
}

function inline(doc: Doc): string {
  if (typeof doc === 'string') return doc
  if (doc.kind === 'concat') return doc.parts.map(inline).join('')
  if (doc.kind === 'chain') return doc.links.map(inline).join('')
  if (doc.items.length === 0) return `${doc.open}${doc.close}`
  const inner = doc.items.map(inline).join(', ')
  return doc.spaced ? `${doc.open} ${inner} ${doc.close}` : `${doc.open}${inner}${doc.close}`
}
