import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { main } from '../../../src/cli/main.js'
import { bufferTerminal } from '../../../src/cli/print.js'
import { readInventory } from '../../../src/io/read-inventory.js'
import { loadPolicy } from '../../../src/io/load-policy.js'
import { startFakeTailscale, type FakeTailscale, type FakeTailscaleOptions } from '../../support/fake-tailscale-api.js'
import { fakeTailscaleKey } from '../../support/fake-credentials.js'

const policyInGit = `{
  "groups": {"group:eng": ["alice@example.com"]},
  "tagOwners": {"tag:db": ["group:eng"]},
  "grants": [{"src": ["group:eng"], "dst": ["tag:db"], "ip": ["tcp:5432"]}],
}
`

const dslPolicy = `import { definePolicy, Port } from 'tailor'

export default definePolicy(
  { groups: { eng: ['alice@example.com'] }, tags: { db: ['group:eng'] } },
  (p) => ({ rules: [p.allow(p.group.eng).to(p.tag.db, Port.tcp(5432))], tests: [] }),
)
`

const variables = ['TAILSCALE_BASE_URL', 'TAILSCALE_API_KEY', 'TAILSCALE_OAUTH_CLIENT_ID', 'TAILSCALE_OAUTH_CLIENT_SECRET', 'TAILSCALE_IDENTITY_TOKEN', 'TAILSCALE_AUDIENCE', 'TAILSCALE_TAILNET', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']
const saved = new Map<string, string | undefined>()
let folder = ''
let server: FakeTailscale | undefined

beforeEach(async () => {
  for (const name of variables) {
    saved.set(name, process.env[name])
    delete process.env[name]
  }
  folder = await mkdtemp(join(tmpdir(), 'tailor-cli-'))
  await writeFile(join(folder, 'policy.hujson'), policyInGit)
})

afterEach(async () => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await server?.close()
  server = undefined
  await rm(folder, { recursive: true, force: true })
})

async function tailnet(options: FakeTailscaleOptions & { readonly client?: { id: string; secret: string; scopes: string[] } }): Promise<FakeTailscale> {
  server = await startFakeTailscale({ tailnet: 'example.com', ...options, ...(options.client ? { clients: [options.client] } : {}) })
  process.env['TAILSCALE_BASE_URL'] = server.baseUrl
  process.env['TAILSCALE_TAILNET'] = 'example.com'
  if (options.client) {
    process.env['TAILSCALE_OAUTH_CLIENT_ID'] = options.client.id
    process.env['TAILSCALE_OAUTH_CLIENT_SECRET'] = options.client.secret
  }
  return server
}

async function tailor(...argv: string[]) {
  const terminal = bufferTerminal()
  const code = await main(argv, terminal, folder)
  return { code, stdout: terminal.stdout(), stderr: terminal.stderr() }
}

describe('tailor pull', () => {
  test('saves the live HuJSON with its comments and the ETag next to it', async () => {
    // GIVEN
    const live = await tailnet({ policy: `// edited by hand\n${policyInGit}`, client: { id: 'kRead', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read'] } })
    // WHEN
    const result = await tailor('pull', '--out', 'live.hujson')
    // THEN
    expect(result.code).toBe(0)
    expect(await readFile(join(folder, 'live.hujson'), 'utf8')).toBe(`// edited by hand\n${policyInGit}`)
    expect(await readFile(join(folder, 'live.hujson.etag'), 'utf8')).toBe(`${live.etag()}\n`)
  })

  test('--devices saves the devices as an inventory that `netmap --nodes` reads', async () => {
    // GIVEN
    await tailnet({
      policy: policyInGit,
      client: { id: 'kRead', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read', 'devices:core:read'] },
      devices: [
        { name: 'laptop.tail1234.ts.net', hostname: 'laptop', user: 'alice@example.com', tags: [], addresses: ['100.64.0.1', 'fd7a:115c:a1e0::1'] },
        { name: 'db-1.tail1234.ts.net', hostname: 'db-1', user: 'alice@example.com', tags: ['tag:db'], addresses: ['100.64.0.2'], advertisedRoutes: ['10.0.0.0/24'], enabledRoutes: ['10.0.0.0/24'] },
      ],
    })
    // WHEN
    const result = await tailor('pull', '--devices', 'nodes.json', '--out', 'live.hujson')
    // THEN
    expect(result.code).toBe(0)
    const saved = await readInventory(join(folder, 'nodes.json'))
    expect(saved.diagnostics).toEqual([])
    expect(saved.inventory).toEqual({
      tailnet: 'example.com',
      users: [{ name: 'alice@example.com', email: 'alice@example.com' }],
      nodes: [
        { name: 'db-1', tags: ['tag:db'], ipv4: '100.64.0.2', routable_ips: ['10.0.0.0/24'], approved_routes: ['10.0.0.0/24'] },
        { name: 'laptop', user: 'alice@example.com', tags: [], ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' },
      ],
    })
  })

  test('a rejected credential is named, never printed, even when the server echoes it', async () => {
    // GIVEN
    const secret = fakeTailscaleKey('client')
    const live = await tailnet({ policy: policyInGit, client: { id: 'kRead', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read'] } })
    process.env['TAILSCALE_OAUTH_CLIENT_SECRET'] = secret
    live.failNext('/api/v2/oauth/token', 401, 1, { message: `client_secret ${secret} is not valid` })
    // WHEN
    const result = await tailor('pull')
    // THEN
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^\(tailscale api\) {2}error {2}api-/m)
    expect(result.stderr).toContain('Tailscale rejected the OAuth client TAILSCALE_OAUTH_CLIENT_ID / TAILSCALE_OAUTH_CLIENT_SECRET (401)')
    expect(result.stdout + result.stderr).not.toContain(secret.slice(6))
  })

  test('an API key works, with a warning that it is the weakest option', async () => {
    // GIVEN
    const apiKey = fakeTailscaleKey('api')
    await tailnet({ policy: policyInGit, apiKeys: [apiKey] })
    process.env['TAILSCALE_API_KEY'] = apiKey
    // WHEN
    const result = await tailor('pull')
    // THEN
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/^warning: using TAILSCALE_API_KEY: an API access token carries all of its owner's rights/)
    expect(result.stdout).toBe(policyInGit)
    expect(result.stderr).toMatch(/\nETag "[0-9a-f]{16}"\n$/)
  })
})

describe('tailor drift', () => {
  test('exits 0 when the live policy says what git says, whatever its comments', async () => {
    // GIVEN
    await tailnet({ policy: `// comment added in the console\n${policyInGit}`, client: { id: 'kRead', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read'] } })
    // WHEN
    const result = await tailor('drift', '--policy', 'policy.hujson')
    // THEN
    expect(result).toMatchObject({ code: 0, stdout: 'no drift: the live policy matches git\n' })
  })

  test('exits 1 and shows the access an out-of-band edit added', async () => {
    // GIVEN
    await tailnet({ policy: policyInGit.replace('"tcp:5432"', '"tcp:5432", "tcp:22"'), client: { id: 'kRead', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read'] } })
    // WHEN
    const result = await tailor('drift', '--policy', 'policy.hujson')
    // THEN
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^the live policy differs from policy.hujson \(base: git, head: live\)/)
    expect(result.stdout).toMatch(/broadened[\s\S]*tcp:22/)
  })

  test('a DSL policy is compiled and compared; the live file it would produce is no drift, an edit of it is', async () => {
    // GIVEN
    await mkdir(join(folder, 'policy'))
    await writeFile(join(folder, 'policy/index.ts'), dslPolicy)
    const compiled = await loadPolicy('policy/index.ts', folder)
    if (!compiled.ok) throw new Error('the DSL fixture does not load')
    const live = await tailnet({ policy: JSON.stringify(compiled.policy, null, 2), client: { id: 'kRead', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read'] } })
    // WHEN
    const same = await tailor('drift')
    const wire = compiled.policy as { grants?: unknown[] }
    live.editInConsole(JSON.stringify({ ...wire, grants: [...(wire.grants ?? []), { src: ['*'], dst: ['*'], ip: ['*'] }] }))
    const edited = await tailor('drift')
    // THEN
    expect(same).toMatchObject({ code: 0, stdout: 'no drift: the live policy matches git\n' })
    expect(edited.code, edited.stdout + edited.stderr + live.policy()).toBe(1)
    expect(edited.stdout).toMatch(/broadened/)
  })

  test('--format markdown writes an issue body', async () => {
    // GIVEN
    await tailnet({ policy: policyInGit.replace('"tcp:5432"', '"tcp:5432", "tcp:22"'), client: { id: 'kRead', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read'] } })
    // WHEN
    const result = await tailor('drift', '--policy', 'policy.hujson', '--format', 'markdown')
    // THEN
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^The live policy differs from `policy.hujson` in git/)
    expect(result.stdout).toContain('| change | who | what | access |')
  })
})

describe('tailor validate --remote', () => {
  test('asks Tailscale, changes nothing, and exits 1 with Tailscale\'s words when it rejects the policy', async () => {
    // GIVEN
    const live = await tailnet({ policy: policyInGit, client: { id: 'kRead', secret: fakeTailscaleKey('client'), scopes: ['policy_file:read'] } })
    await writeFile(join(folder, 'bad.hujson'), '{"grants": [{"src": ["tag:nonexistent"], "dst": ["*"], "ip": ["*"]}]}')
    // WHEN
    const good = await tailor('validate', '--remote', '--policy', 'policy.hujson')
    const bad = await tailor('validate', '--remote', '--policy', 'bad.hujson')
    // THEN
    expect(good).toMatchObject({ code: 0, stdout: 'Tailscale accepts policy.hujson\n' })
    expect(bad).toMatchObject({ code: 1, stdout: 'Tailscale rejects bad.hujson: src=tag not found: "tag:nonexistent"\n' })
    expect(live.policy()).toBe(policyInGit)
  })
})
