import { describe, expect, test } from 'vitest'
import { folderWith, tailorIn, twoTierHujson } from '../tailor-in.js'

const nodes = JSON.stringify({
  tailnet: 'example.com',
  users: [],
  nodes: [
    { name: 'web-1', tags: ['tag:web'], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
    { name: 'db-1', tags: ['tag:db'], ipv4: '100.64.0.2', ipv6: 'fd7a:115c:a1e0::2' },
  ],
})

describe('tailor netmap', () => {
  test('--json gives each device’s packet filter in the capture shape', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson(), 'nodes.json': nodes })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'netmap', '--policy', 'policy.hujson', '--nodes', 'nodes.json', '--json')
    // THEN
    expect(code).toBe(0)
    const map = JSON.parse(stdout) as { filters: Record<string, { src: string[]; dst: { net: string; ports: number[] }[] }[]> }
    expect(map.filters['web-1']).toEqual([])
    expect(map.filters['db-1']).toEqual([
      expect.objectContaining({ proto: [6], src: expect.arrayContaining(['100.64.0.1/32']), dst: expect.arrayContaining([{ net: '100.64.0.2/32', ports: [5432, 5432] }]) }),
    ])
  })

  test('--node shows one device, in words', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson(), 'nodes.json': nodes })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'netmap', '--policy', 'policy.hujson', '--nodes', 'nodes.json', '--node', 'db-1')
    // THEN
    expect(code).toBe(0)
    expect(stdout).toBe('db-1 (tag:db)\n  accept tcp from 100.64.0.1, fd7a:115c:a1e0::1 to 100.64.0.2, fd7a:115c:a1e0::2 port 5432\n')
  })

  test('a device that is not in the inventory is named with a suggestion, exit 2', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson(), 'nodes.json': nodes })
    // WHEN
    const { code, stderr } = await tailorIn(cwd, 'netmap', '--policy', 'policy.hujson', '--nodes', 'nodes.json', '--node', 'db-2')
    // THEN
    expect(code).toBe(2)
    expect(stderr).toContain('no device `db-2` in nodes.json\n  → did you mean `db-1`?')
  })
})
