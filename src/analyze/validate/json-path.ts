import type { JsonPath } from '../../model/diagnostic.js'

/** `acls[0].src[2]`, `groups["group:eng"]`: how messages name a place in the policy. */
export function formatJsonPath(path: JsonPath): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(segment)}]`
  }
  return text === '' ? 'the policy' : text
}

/** RFC 6901 pointer (as ajv reports `instancePath`) → path segments; array indexes become numbers. */
export function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return []
  const path: (string | number)[] = []
  let value = root
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(value)) {
      const index = Number(key)
      path.push(index)
      value = value[index]
    } else {
      path.push(key)
      value = isObject(value) ? value[key] : undefined
    }
  }
  return path
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
