import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { readInventory } from '../../src/io/read-inventory.js'

async function fixture(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'tailor-inventory-')), 'nodes.json')
  await writeFile(file, text)
  return file
}

describe('readInventory', () => {
  test('reads the capture shape, comments allowed', async () => {
    // GIVEN
    const file = await fixture(`{
      // one person, one server
      "tailnet": "example.com",
      "users": [{"name": "alice", "email": "alice@example.com"}],
      "nodes": [
        {"name": "laptop", "user": "alice", "tags": [], "ipv4": "100.64.0.1"},
        {"name": "web-1", "tags": ["tag:web"], "ipv4": "100.64.0.2"},
      ],
    }`)
    // WHEN
    const { inventory, diagnostics } = await readInventory(file)
    // THEN
    expect(diagnostics).toEqual([])
    expect(inventory?.nodes.map((n) => n.name)).toEqual(['laptop', 'web-1'])
  })

  test('a wrong entry is located at its line', async () => {
    // GIVEN
    const file = await fixture('{\n  "tailnet": "example.com",\n  "users": [],\n  "nodes": [\n    {"name": "web-1", "tags": "tag:web"}\n  ]\n}\n')
    // WHEN
    const { inventory, diagnostics } = await readInventory(file)
    // THEN
    expect(inventory).toBeUndefined()
    expect(diagnostics).toMatchObject([{ code: 'invalid-inventory', message: '`nodes[0].tags` must be a list of strings', at: { line: 5 } }])
  })

  test('a missing file is one unreadable-file diagnostic', async () => {
    // WHEN
    const { inventory, diagnostics } = await readInventory('/nonexistent/nodes.json')
    // THEN
    expect(inventory).toBeUndefined()
    expect(diagnostics).toMatchObject([{ code: 'unreadable-file', message: '`/nonexistent/nodes.json`: no such file' }])
  })
})
