import type { ErrorObject } from 'ajv'
import type { Diagnostic, JsonPath } from '../../model/diagnostic.js'
import { didYouMean } from '../../model/did-you-mean.js'
import validateGenerated from '../policy-schema.generated.js'
import { policySchema, resolveSchema, type SchemaNode } from '../policy-schema.js'
import { formatJsonPath, isObject, pointerToPath } from './json-path.js'

interface StructureValidator {
  (data: unknown): boolean
  errors?: ErrorObject[] | null
}

const validateStructure = validateGenerated as unknown as StructureValidator

/** The policy with Tailscale's key spellings, what was wrong with its shape, and a copy safe to analyse. */
export interface StructureResult {
  /** keys renamed to their canonical case, `null` fields dropped */
  readonly value: Record<string, unknown> | undefined
  /** {@link value} without the parts that have the wrong shape, so later checks can trust the types */
  readonly wellTyped: Record<string, unknown> | undefined
  readonly diagnostics: Diagnostic[]
}

/**
 * Go's JSON decoder, which Tailscale uses, matches keys case-insensitively (`ACLs`, `autoapprovers` and
 * derpMap's `Regions` all work) and reads `null` as "not set"; it rejects unknown keys. So: rename
 * keys to the schema's spelling (a warning, since a reader may not expect it), drop nulls, then let
 * the precompiled schema report unknown keys and wrong types at their JSON path.
 */
export function checkStructure(raw: unknown): StructureResult {
  const diagnostics: Diagnostic[] = []
  if (!isObject(raw)) {
    diagnostics.push({
      code: 'invalid-type',
      severity: 'error',
      message: `the policy must be a JSON object, not ${describeType(raw)}`,
      path: [],
      hint: 'a policy file is one object such as `{"grants": [...]}`',
    })
    return { value: undefined, wellTyped: undefined, diagnostics }
  }
  const value = canonicalize(raw, policySchema, [], diagnostics) as Record<string, unknown>
  // nothing to prune in a well-shaped policy: the copy is the value itself
  if (validateStructure(value)) return { value, wellTyped: value, diagnostics }
  // a second copy to prune: canonicalize builds fresh containers wherever the schema reaches, and pruning
  // only deletes there; opaque parts (app parameters, derp HomeParams) are shared, never walked, so a
  // hostile 100k-deep value cannot exhaust the stack
  const wellTyped = canonicalize(raw, policySchema, [], []) as Record<string, unknown>
  const errors = validateStructure.errors ?? []
  const prune: JsonPath[] = []
  for (const error of errors) {
    const diagnostic = describeError(error, value)
    if (!diagnostic) continue
    diagnostics.push(diagnostic)
    if (diagnostic.path) prune.push(diagnostic.path)
  }
  for (const path of prune) removeFrom(wellTyped, path)
  return { value, wellTyped, diagnostics }
}

const resolvedSchemas = new WeakMap<SchemaNode, SchemaNode>()

function schemaOf(node: SchemaNode): SchemaNode {
  let hit = resolvedSchemas.get(node)
  if (hit === undefined) {
    hit = resolveSchema(node)
    resolvedSchemas.set(node, hit)
  }
  return hit
}

// `path` is the position being read, pushed and popped as the walk goes: it is copied only into a
// diagnostic, so a large policy does not pay one array per value
function canonicalize(value: unknown, schemaNode: SchemaNode, path: (string | number)[], diagnostics: Diagnostic[]): unknown {
  const schema = schemaOf(schemaNode)
  if (Array.isArray(value)) {
    const items = schema.items
    if (!items) return value.map((item) => item)
    return value.map((item, index) => {
      path.push(index)
      const out = canonicalize(item, items, path, diagnostics)
      path.pop()
      return out
    })
  }
  if (!isObject(value)) return value
  const result: Record<string, unknown> = {}
  const properties = schema.properties
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    const item = record[key]
    if (item === null) continue
    let name = key
    let child: SchemaNode | undefined = properties?.[key]
    if (!child) {
      const match = Object.keys(properties ?? {}).find((candidate) => candidate.toLowerCase() === key.toLowerCase())
      if (match !== undefined) {
        name = match
        child = properties?.[match]
        diagnostics.push({
          code: 'key-case',
          severity: 'warning',
          message: `key \`${key}\` is read as \`${match}\``,
          path: [...path, key],
          hint: `Tailscale matches keys without regard to case; write \`${match}\` so readers and tools agree`,
        })
      } else if (typeof schema.additionalProperties === 'object') {
        child = schema.additionalProperties
      }
    }
    if (Object.hasOwn(result, name)) {
      diagnostics.push({
        code: 'duplicate-key',
        severity: 'warning',
        message: `\`${key}\` repeats \`${name}\`; the later one wins`,
        path: [...path, key],
        hint: 'keep one spelling of the key',
      })
    }
    let canonical: unknown = item
    if (child) {
      path.push(name)
      canonical = canonicalize(item, child, path, diagnostics)
      path.pop()
    }
    // `__proto__` as data, not as the prototype
    if (name === '__proto__') Object.defineProperty(result, name, { value: canonical, enumerable: true, writable: true, configurable: true })
    else result[name] = canonical
  }
  return result
}

// headscale ignores keys starting with `#` (metadata for admin UIs, juanfont/headscale#2764); Tailscale
// rejects unknown fields (the API's `json: unknown field "dst"`, tailscale/terraform-provider-tailscale#89)
const headscaleMetadataHint = '`#`-prefixed keys are a Headscale-only form (headscale ignores them as metadata); Tailscale rejects unknown fields, so write a `//` comment instead'

function describeError(error: ErrorObject, root: unknown): Diagnostic | undefined {
  const path = pointerToPath(error.instancePath, root)
  const where = formatJsonPath(path)
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: unknown }).additionalProperty)
    const allowed = allowedKeys(error.schemaPath)
    const suggestion = didYouMean(field, allowed)
    return {
      code: 'unknown-field',
      severity: 'error',
      message: `json: unknown field ${JSON.stringify(field)}`,
      path: [...path, field],
      hint: field.startsWith('#')
        ? headscaleMetadataHint
        : suggestion
          ? `did you mean \`${suggestion}\`?`
          : `${path.length === 0 ? 'the policy' : `\`${where}\``} takes ${allowed.map((k) => `\`${k}\``).join(', ')}`,
    }
  }
  if (error.keyword === 'type') {
    const expected = String((error.params as { type: unknown }).type)
    return {
      code: 'invalid-type',
      severity: 'error',
      message: `\`${where}\` must be ${article(expected)}, not ${describeType(valueAt(root, path))}`,
      path,
      hint: typeHint(expected),
    }
  }
  return { code: 'invalid-structure', severity: 'error', message: `\`${where}\` ${error.message ?? 'is malformed'}`, path }
}

function allowedKeys(schemaPath: string): string[] {
  // `#/definitions/acl/additionalProperties` → the object schema that owns the keyword
  const segments = schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1)
  let node: unknown = policySchema
  for (const segment of segments) node = isObject(node) ? node[segment] : undefined
  return isObject(node) && isObject(node['properties']) ? Object.keys(node['properties']) : []
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let value = root
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment]
    else if (isObject(value) && typeof segment === 'string') value = value[segment]
    else return undefined
  }
  return value
}

function removeFrom(root: Record<string, unknown>, path: JsonPath): void {
  // drop the innermost object property that holds the bad value: array indexes of siblings stay stable
  let owner: Record<string, unknown> | undefined
  let key: string | undefined
  let value: unknown = root
  for (const segment of path) {
    if (isObject(value) && typeof segment === 'string') {
      owner = value
      key = segment
      value = value[segment]
    } else if (Array.isArray(value) && typeof segment === 'number') {
      value = value[segment]
    } else break
  }
  if (owner && key !== undefined) delete owner[key]
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `${article(typeof value)} (${JSON.stringify(value)})`
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

function typeHint(expected: string): string {
  switch (expected) {
    case 'array':
      return 'write a list, even for one entry: `["tag:server"]`'
    case 'string':
      return 'quote the value: numbers, too, are strings here (`"proto": "6"`)'
    case 'boolean':
      return 'write `true` or `false` without quotes'
    default:
      return `write ${article(expected)}`
  }
}
