import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Diagnostic, JsonPath } from '../model/diagnostic.js'
import type { Inventory } from '../model/inventory.js'
import { readHujson } from './read-hujson.js'
import { unreadableFile } from './unreadable-file.js'

export interface InventoryFile {
  /** set when the file was read and has the inventory's shape */
  readonly inventory: Inventory | undefined
  readonly diagnostics: readonly Diagnostic[]
}

/**
 * Reads a tailnet inventory (`{tailnet, users, nodes}`, the shape conformance captures hold) from a
 * JSON or HuJSON file. Shape errors point at the offending entry so a hand-edited file is easy to fix.
 */
export async function readInventory(path: string, cwd = process.cwd()): Promise<InventoryFile> {
  const file = resolve(cwd, path)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    // the message names the file as the user wrote it; the location holds the full path
    return { inventory: undefined, diagnostics: [{ ...unreadableFile(path, error), at: { file, line: 1, column: 1 } }] }
  }
  const document = readHujson(text, file)
  if (document.diagnostics.length > 0) return { inventory: undefined, diagnostics: document.diagnostics }
  const problems = shapeProblems(document.value)
  const diagnostics: Diagnostic[] = problems.map(([path, message]) => {
    const at = document.sourceMap.locate(path)
    return {
      code: 'invalid-inventory',
      severity: 'error',
      message,
      path,
      ...(at ? { at } : {}),
      hint: 'an inventory is {"tailnet": "...", "users": [{"name", "email"}], "nodes": [{"name", "user"?, "tags", "ipv4"?, "ipv6"?}]}',
    }
  })
  return { inventory: diagnostics.length === 0 ? (document.value as Inventory) : undefined, diagnostics }
}

type Problem = readonly [JsonPath, string]

function shapeProblems(value: unknown): Problem[] {
  if (!isRecord(value)) return [[[], 'the inventory must be an object']]
  const problems: Problem[] = []
  if (typeof value['tailnet'] !== 'string') problems.push([['tailnet'], '`tailnet` must be a string (the tailnet name, e.g. `example.com`)'])
  for (const [section, required] of [['users', ['name', 'email']], ['nodes', ['name']]] as const) {
    const list = value[section]
    if (!Array.isArray(list)) {
      problems.push([[section], `\`${section}\` must be a list`])
      continue
    }
    list.forEach((entry: unknown, index) => {
      if (!isRecord(entry)) {
        problems.push([[section, index], `\`${section}[${index}]\` must be an object`])
        return
      }
      for (const key of required) {
        if (typeof entry[key] !== 'string') problems.push([[section, index, key], `\`${section}[${index}].${key}\` must be a string`])
      }
      if (section === 'nodes') {
        const tags = entry['tags']
        if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) problems.push([[section, index, 'tags'], `\`nodes[${index}].tags\` must be a list of strings`])
        for (const key of ['ipv4', 'ipv6', 'user'] as const) {
          if (entry[key] !== undefined && typeof entry[key] !== 'string') problems.push([[section, index, key], `\`nodes[${index}].${key}\` must be a string`])
        }
        for (const key of ['routable_ips', 'approved_routes'] as const) {
          const routes = entry[key]
          if (routes !== undefined && (!Array.isArray(routes) || !routes.every((r) => typeof r === 'string'))) problems.push([[section, index, key], `\`nodes[${index}].${key}\` must be a list of strings`])
        }
      }
    })
  }
  return problems
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
