import { describe, expect, test } from 'vitest'
import { splitPort } from '../../../src/cli/commands/explain.js'
import { folderWith, tailorIn, twoTierHujson } from '../tailor-in.js'

describe('tailor explain', () => {
  test('an allowed flow names the rule that allows it and where it is written, exit 0', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'explain', '--policy', 'policy.hujson', 'tag:web', 'tag:db:5432')
    // THEN
    expect(code).toBe(0)
    expect(stdout).toContain('✓ allowed: tag:web → tag:db on port 5432 (tcp or udp)\n')
    expect(stdout).toContain('  by grants[0] (policy.hujson:4:5)  {"src":["tag:web"],"dst":["tag:db"],"ip":["tcp:5432"]}\n')
  })

  test('a denied flow shows the nearest rule and what differs, exit 1', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    // WHEN
    const { code, stdout } = await tailorIn(cwd, 'explain', '--policy', 'policy.hujson', 'tag:web', 'tag:db:22')
    // THEN
    expect(code).toBe(1)
    expect(stdout).toContain('✗ denied: tag:web → tag:db on port 22 (tcp or udp)\n')
    expect(stdout).toMatch(/nearest: grants\[0\] .*not port 22 \(policy\.hujson:4:5\)/)
  })

  test('--json carries the verdict and each rule’s location', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    // WHEN
    const { stdout } = await tailorIn(cwd, 'explain', '--policy', 'policy.hujson', '--json', '--proto', 'tcp', 'tag:web', 'tag:db:5432')
    // THEN
    expect(JSON.parse(stdout)).toMatchObject({ allowed: true, port: 5432, protocols: [6], allowedBy: [{ path: ['grants', 0], at: 'policy.hujson:4:5' }] })
  })

  test('a destination without a port is a usage error that shows the form', async () => {
    // GIVEN
    const cwd = await folderWith({ 'policy.hujson': twoTierHujson() })
    // WHEN
    const { code, stderr } = await tailorIn(cwd, 'explain', '--policy', 'policy.hujson', 'tag:web', 'tag:db')
    // THEN
    expect(code).toBe(2)
    expect(stderr).toContain('`tag:db` names no port')
  })

  test('destinations split at the last colon; IPv6 addresses go in brackets', () => {
    expect(splitPort('tag:web:443')).toEqual({ host: 'tag:web', port: 443 })
    expect(splitPort('db-1:5432')).toEqual({ host: 'db-1', port: 5432 })
    expect(splitPort('[fd7a:115c:a1e0::1]:22')).toEqual({ host: 'fd7a:115c:a1e0::1', port: 22 })
    expect(splitPort('tag:web')).toBeUndefined()
  })
})
