import { concat, list, type Doc } from './layout.js'

/**
 * JSON values written as TypeScript a person would write: single-quoted strings, bare keys where
 * they are identifiers, the JSON's own key order (the importer keeps the file's order so the
 * generated code reads like the original).
 */
export function literal(value: unknown): Doc {
  if (typeof value === 'string') return quote(value)
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value)
  if (Array.isArray(value)) return list('[', value.map(literal), ']')
  if (typeof value === 'object') {
    return list('{', Object.entries(value as Record<string, unknown>).map(([key, item]) => concat(`${propertyKey(key)}: `, literal(item))), '}', true)
  }
  return 'undefined'
}

/** `'text'`, escaped. */
export function quote(text: string): string {
  const json = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")
  return `'${json}'`
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** An object key: bare when it is an identifier, quoted otherwise (`'corp-net'`). */
export function propertyKey(name: string): string {
  // a literal `__proto__` key, bare or quoted, sets the prototype instead of making a key
  if (name === '__proto__') return `[${quote(name)}]`
  return identifier.test(name) ? name : quote(name)
}

/** `p.tag.web`, or `p.tag['corp-net']` for a name that is not an identifier. */
export function member(object: string, name: string): string {
  return identifier.test(name) ? `${object}.${name}` : `${object}[${quote(name)}]`
}
