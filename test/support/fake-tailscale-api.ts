import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readHujson } from '../../src/io/read-hujson.js'

/** One OAuth client (or federated identity) the fake accepts, with the scopes it was granted. */
export interface FakeClient {
  readonly id: string
  readonly secret?: string
  /** the identity token a federated client accepts */
  readonly jwt?: string
  readonly scopes: readonly string[]
}

export interface FakeTailscaleOptions {
  readonly tailnet?: string
  readonly policy?: string
  readonly apiKeys?: readonly string[]
  readonly clients?: readonly FakeClient[]
  readonly devices?: readonly unknown[]
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

export interface FakeTailscale {
  readonly baseUrl: string
  readonly requests: RecordedRequest[]
  /** the policy text as the fake holds it */
  policy(): string
  etag(): string
  /** an edit made in the admin console: new text, new ETag */
  editInConsole(text: string): void
  /** answer the next `times` requests to paths starting with `pathPrefix` with `status` */
  failNext(pathPrefix: string, status: number, times?: number, body?: unknown): void
  close(): Promise<void>
}

const defaultPolicy = '// default\n{\n  "grants": [{"src": ["*"], "dst": ["*"], "ip": ["*"]}],\n}\n'

/**
 * A stand-in for api.tailscale.com on 127.0.0.1, implementing the endpoints tailor uses with Tailscale's
 * documented behaviour: ETag / If-Match (412 on mismatch, `ts-default`), HuJSON vs JSON by Accept, 200 from
 * `/acl/validate` even for an invalid policy, OAuth client credentials with scopes, token exchange.
 */
export async function startFakeTailscale(options: FakeTailscaleOptions = {}): Promise<FakeTailscale> {
  const tailnet = options.tailnet ?? 'example.com'
  let text = options.policy ?? defaultPolicy
  let edited = options.policy !== undefined
  const requests: RecordedRequest[] = []
  const faults: { prefix: string; status: number; times: number; body: unknown }[] = []
  const tokens = new Map<string, readonly string[]>()
  const etagOf = () => `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`

  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const url = new URL(request.url ?? '/', 'http://127.0.0.1')
      requests.push({ method: request.method ?? 'GET', path: url.pathname + url.search, headers: request.headers, body })
      handle(request, response, url, body)
    })
  })

  function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const payload = typeof body === 'string' ? body : JSON.stringify(body)
    response.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'application/hujson' : 'application/json', ...headers })
    response.end(payload)
  }

  function scopesOf(request: IncomingMessage): readonly string[] | undefined {
    const header = request.headers.authorization ?? ''
    const token = header.replace(/^Bearer /, '')
    if ((options.apiKeys ?? []).includes(token)) return ['all']
    return tokens.get(token)
  }

  function handle(request: IncomingMessage, response: ServerResponse, url: URL, body: string): void {
    const fault = faults.find((f) => url.pathname.startsWith(f.prefix) && f.times > 0)
    if (fault) {
      fault.times--
      return reply(response, fault.status, fault.body, fault.status === 429 ? { 'Retry-After': '0' } : {})
    }
    if (url.pathname === '/api/v2/oauth/token' || url.pathname === '/api/v2/oauth/token-exchange') {
      const form = new URLSearchParams(body)
      const client = (options.clients ?? []).find((c) => c.id === form.get('client_id'))
      const valid = client && (url.pathname.endsWith('exchange') ? client.jwt !== undefined && client.jwt === form.get('jwt') : client.secret !== undefined && client.secret === form.get('client_secret'))
      if (!client || !valid) return reply(response, 401, { message: 'Unauthorized. Visit the admin console for details' })
      const wanted = (form.get('scope') ?? '').split(' ').filter((s) => s !== '')
      const missing = wanted.filter((s) => !client.scopes.includes(s) && !client.scopes.includes(s.replace(/:read$/, '')))
      if (missing.length > 0) return reply(response, 400, { message: `invalid scope: ${missing.join(' ')}` })
      const token = `fake-access-${tokens.size + 1}`
      tokens.set(token, client.scopes)
      return reply(response, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: client.scopes.join(' ') })
    }
    const prefix = `/api/v2/tailnet/${encodeURIComponent(tailnet)}`
    const dash = '/api/v2/tailnet/-'
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname.startsWith(dash) ? url.pathname.slice(dash.length) : undefined
    if (path === undefined) return reply(response, 404, { message: 'Tailnet not found' })
    const granted = scopesOf(request)
    if (!granted) return reply(response, 401, { message: 'API token invalid' })
    const allowed = (scope: string) => granted.includes('all') || granted.includes(scope) || (scope.endsWith(':read') && granted.includes(scope.slice(0, -5)))
    if (path === '/acl' && request.method === 'GET') {
      if (!allowed('policy_file:read')) return reply(response, 403, { message: 'calling actor does not have enough permissions to perform this function' })
      if (request.headers.accept === 'application/json') return reply(response, 200, readHujson(text, 'policy').value ?? {}, { ETag: etagOf() })
      return reply(response, 200, text, { ETag: etagOf() })
    }
    if (path === '/acl' && request.method === 'POST') {
      if (!allowed('policy_file')) return reply(response, 403, { message: 'calling actor does not have enough permissions to perform this function' })
      const ifMatch = request.headers['if-match']
      if (ifMatch !== undefined && !(ifMatch === '"ts-default"' ? !edited : ifMatch === etagOf())) return reply(response, 412, { message: 'precondition failed, invalid old hash' })
      if (readHujson(body, 'policy').value === undefined) return reply(response, 400, { message: 'invalid HuJSON' })
      text = body
      edited = true
      return reply(response, 200, text, { ETag: etagOf() })
    }
    if (path === '/acl/validate' && request.method === 'POST') {
      if (!allowed('policy_file:read')) return reply(response, 403, { message: 'calling actor does not have enough permissions to perform this function' })
      const parsed = readHujson(body, 'policy').value
      if (parsed === undefined) return reply(response, 200, { message: 'invalid HuJSON' })
      if (JSON.stringify(parsed).includes('tag:nonexistent')) return reply(response, 200, { message: 'src=tag not found: "tag:nonexistent"' })
      return reply(response, 200, {})
    }
    if (path === '/devices' && request.method === 'GET') {
      if (!allowed('devices:core:read')) return reply(response, 403, { message: 'calling actor does not have enough permissions to perform this function' })
      return reply(response, 200, { devices: options.devices ?? [] })
    }
    return reply(response, 404, { message: 'not found' })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    policy: () => text,
    etag: etagOf,
    editInConsole(next) {
      text = next
      edited = true
    },
    failNext(pathPrefix, status, times = 1, body = { message: `fault ${status}` }) {
      faults.push({ prefix: pathPrefix, status, times, body })
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}
