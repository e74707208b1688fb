import type { Diagnostic } from '../model/diagnostic.js'
import { redact } from '../model/redact.js'
import { describeCredential, missingCredentialHint, type ApiSettings, type Credential } from './credentials.js'

/** The live policy file as Tailscale holds it: its text (HuJSON keeps the comments) and the ETag to write against. */
export interface LivePolicy {
  readonly text: string
  readonly etag: string | undefined
}

/** Tailscale's answer to `/acl/validate`: 200 even when the policy is invalid or its tests fail. */
export interface RemoteValidation {
  readonly ok: boolean
  readonly message: string | undefined
  readonly details: readonly { readonly user: string; readonly errors: readonly string[]; readonly warnings: readonly string[] }[]
}

/** A device as `GET /tailnet/{tailnet}/devices?fields=all` describes it (only the fields tailor uses). */
export interface ApiDevice {
  readonly name: string
  readonly hostname?: string
  readonly user?: string
  readonly tags?: readonly string[]
  readonly addresses?: readonly string[]
  readonly advertisedRoutes?: readonly string[]
  readonly enabledRoutes?: readonly string[]
}

export type ApiProblemCode =
  | 'missing-credential'
  | 'unauthorized'
  | 'missing-scope'
  | 'tailnet-not-found'
  | 'conflict'
  | 'policy-changed'
  | 'rate-limited'
  | 'server-error'
  | 'rejected'
  | 'unreachable'

/** Why a call failed, in words a person can act on; never holds a credential. */
export interface ApiProblem {
  readonly code: ApiProblemCode
  readonly status: number | undefined
  readonly message: string
  readonly hint: string
  /** the OAuth scope the credential lacks, when that is the reason */
  readonly scope?: string
  /** Tailscale's `data` (e.g. failing tests), redacted */
  readonly data?: unknown
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ApiProblem }

/** The OAuth scopes each operation needs (tailscale.com/kb/1623/trust-credentials#scopes). */
export const scopes = { readPolicy: 'policy_file:read', writePolicy: 'policy_file', readDevices: 'devices:core:read' } as const
type Scope = (typeof scopes)[keyof typeof scopes]

export interface TailscaleApi {
  getPolicy(): Promise<ApiResult<LivePolicy>>
  /** Replaces the policy only if it still has the ETag `ifMatch` (`"ts-default"`: only if never edited). */
  setPolicy(text: string, options: { readonly ifMatch: string }): Promise<ApiResult<LivePolicy>>
  validatePolicy(text: string): Promise<ApiResult<RemoteValidation>>
  listDevices(): Promise<ApiResult<readonly ApiDevice[]>>
}

export interface ClientOptions {
  readonly fetch?: typeof fetch
  /** how to wait between retries; tests pass a recorder */
  readonly sleep?: (ms: number) => Promise<void>
  readonly maxRetries?: number
  readonly userAgent?: string
}

type RetryPolicy = 'idempotent' | 'rate-limit-only'

/**
 * A small client for the endpoints tailor needs. Reads are retried on 429, 5xx and network errors; a write is
 * retried only on 429, where Tailscale did not act on it, so a retry never applies a policy twice.
 */
export function tailscaleApi(settings: ApiSettings, options: ClientOptions = {}): TailscaleApi {
  const fetchImpl = options.fetch ?? fetch
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const maxRetries = options.maxRetries ?? 3
  const userAgent = options.userAgent ?? 'tailor'
  const tokens = new Map<string, string>()
  const tailnetPath = `${settings.baseUrl}/api/v2/tailnet/${encodeURIComponent(settings.tailnet)}`
  const credential = settings.credential

  async function send(url: string, init: RequestInit, retry: RetryPolicy): Promise<Response | ApiProblem> {
    for (let attempt = 0; ; attempt++) {
      let response: Response
      try {
        response = await fetchImpl(url, { ...init, headers: { 'User-Agent': userAgent, ...(init.headers as Record<string, string>) } })
      } catch (error) {
        if (retry === 'idempotent' && attempt < maxRetries) {
          await sleep(backoff(attempt))
          continue
        }
        return { code: 'unreachable', status: undefined, message: redact(`cannot reach ${settings.baseUrl}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`), hint: 'check the network, or TAILSCALE_BASE_URL' }
      }
      const retriable = response.status === 429 || (retry === 'idempotent' && response.status >= 500)
      if (!retriable || attempt >= maxRetries) return response
      await response.body?.cancel()
      await sleep(retryAfter(response) ?? backoff(attempt))
    }
  }

  async function accessToken(scope: Scope): Promise<string | ApiProblem> {
    if (!credential) return { code: 'missing-credential', status: undefined, message: 'no Tailscale credential in the environment', hint: missingCredentialHint }
    if (credential.kind === 'api-key') return credential.apiKey
    const cached = tokens.get(scope)
    if (cached) return cached
    let form: URLSearchParams
    let endpoint: string
    if (credential.kind === 'oauth-client') {
      endpoint = `${settings.baseUrl}/api/v2/oauth/token`
      form = new URLSearchParams({ client_id: credential.clientId, client_secret: credential.clientSecret, grant_type: 'client_credentials', scope })
    } else {
      const jwt = await identityToken(credential)
      if (typeof jwt !== 'string') return jwt
      endpoint = `${settings.baseUrl}/api/v2/oauth/token-exchange`
      form = new URLSearchParams({ client_id: credential.clientId, jwt })
    }
    const response = await send(endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: form.toString() }, 'idempotent')
    if (!(response instanceof Response)) return response
    if (!response.ok) {
      const body = await readBody(response)
      if (/scope/i.test(body.message ?? '')) return missingScope(scope, response.status, body.message)
      return problemFor(response.status, body, 'obtain an access token', scope)
    }
    const payload: unknown = await response.json().catch(() => undefined)
    const token = isRecord(payload) && typeof payload['access_token'] === 'string' ? payload['access_token'] : undefined
    if (!token) return { code: 'server-error', status: response.status, message: 'the token endpoint answered without an access token', hint: 'try again later' }
    tokens.set(scope, token)
    return token
  }

  async function identityToken(federated: Extract<Credential, { kind: 'federated' }>): Promise<string | ApiProblem> {
    const source = federated.identityToken
    if (source.from === 'environment') return source.token
    const url = `${source.requestUrl}${source.requestUrl.includes('?') ? '&' : '?'}audience=${encodeURIComponent(source.audience)}`
    const response = await send(url, { headers: { Authorization: `bearer ${source.requestToken}`, Accept: 'application/json' } }, 'idempotent')
    if (!(response instanceof Response)) return response
    const payload: unknown = response.ok ? await response.json().catch(() => undefined) : undefined
    const value = isRecord(payload) && typeof payload['value'] === 'string' ? payload['value'] : undefined
    if (value) return value
    return { code: 'unauthorized', status: response.status, message: `GitHub Actions refused an OIDC token for audience \`${source.audience}\` (HTTP ${response.status})`, hint: 'give the job `permissions: id-token: write`' }
  }

  async function call(scope: Scope, operation: string, url: string, init: RequestInit, retry: RetryPolicy): Promise<Response | ApiProblem> {
    const token = await accessToken(scope)
    if (typeof token !== 'string') return token
    const response = await send(url, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } }, retry)
    if (!(response instanceof Response)) return response
    if (response.ok) return response
    return problemFor(response.status, await readBody(response), operation, scope)
  }

  function problemFor(status: number, body: ErrorBody, operation: string, scope: Scope): ApiProblem {
    const said = body.message ? `: ${redact(body.message)}` : ''
    const data = body.data === undefined ? {} : { data: body.data }
    switch (true) {
      case status === 401:
        return { code: 'unauthorized', status, message: `Tailscale rejected ${describeCredential(credential)} (401)${said}`, hint: credential ? 'the credential is wrong, expired or revoked: create a new one and update the environment or CI secret' : missingCredentialHint }
      case status === 403:
        return missingScope(scope, status, body.message, operation)
      case status === 404:
        return { code: 'tailnet-not-found', status, message: `tailnet \`${settings.tailnet}\` not found (404)${said}`, hint: 'set TAILSCALE_TAILNET to the tailnet ID from the admin console (Settings → General), or `-` for the credential\'s own tailnet' }
      case status === 409:
        return { code: 'conflict', status, message: `Tailscale refused to ${operation}: another change is in progress (409)${said}`, hint: 'nothing was overwritten; try again in a moment', ...data }
      case status === 412:
        return { code: 'policy-changed', status, message: `the live policy file changed since it was read (412, ETag mismatch); nothing was overwritten`, hint: 'someone edited the policy (admin console or another apply): run `tailor drift` to see the change, bring it into git, and apply again', ...data }
      case status === 429:
        return { code: 'rate-limited', status, message: `Tailscale rate-limited the request to ${operation} (429), still after ${maxRetries} retries`, hint: 'wait a minute and try again; avoid running several applies at once' }
      case status >= 500:
        return { code: 'server-error', status, message: `Tailscale's API failed to ${operation} (${status})${said}`, hint: 'this is on Tailscale\'s side; try again later (status.tailscale.com)' }
      default:
        return { code: 'rejected', status, message: `Tailscale refused to ${operation} (${status})${said}`, hint: 'the policy is invalid for Tailscale; run `tailor check` for located diagnostics', ...data }
    }
  }

  function missingScope(scope: Scope, status: number, serverMessage: string | undefined, operation = 'use the API'): ApiProblem {
    const said = serverMessage ? `: ${redact(serverMessage)}` : ''
    const who = credential?.kind === 'api-key' ? 'the API access token\'s owner lacks the right' : `the credential lacks the OAuth scope \`${scope}\``
    return { code: 'missing-scope', status, scope, message: `not allowed to ${operation} (${status}): ${who}${said}`, hint: `add the scope \`${scope}\` to the OAuth client or federated identity in the admin console (Settings → Trust credentials), then retry` }
  }

  return {
    async getPolicy() {
      const response = await call(scopes.readPolicy, 'read the policy file', `${tailnetPath}/acl`, { headers: { Accept: 'application/hujson' } }, 'idempotent')
      if (!(response instanceof Response)) return { ok: false, problem: response }
      return { ok: true, value: { text: await response.text(), etag: response.headers.get('ETag') ?? undefined } }
    },
    async setPolicy(text, { ifMatch }) {
      const etag = ifMatch.startsWith('"') ? ifMatch : `"${ifMatch}"`
      const response = await call(scopes.writePolicy, 'write the policy file', `${tailnetPath}/acl`, { method: 'POST', headers: { 'Content-Type': 'application/hujson', Accept: 'application/hujson', 'If-Match': etag }, body: text }, 'rate-limit-only')
      if (!(response instanceof Response)) return { ok: false, problem: response }
      return { ok: true, value: { text: await response.text(), etag: response.headers.get('ETag') ?? undefined } }
    },
    async validatePolicy(text) {
      const response = await call(scopes.readPolicy, 'validate the policy file', `${tailnetPath}/acl/validate`, { method: 'POST', headers: { 'Content-Type': 'application/hujson', Accept: 'application/json' }, body: text }, 'idempotent')
      if (!(response instanceof Response)) return { ok: false, problem: response }
      const body: unknown = await response.json().catch(() => ({}))
      const message = isRecord(body) && typeof body['message'] === 'string' && body['message'] !== '' ? redact(body['message']) : undefined
      const data = isRecord(body) && Array.isArray(body['data']) ? body['data'] : []
      const details = data.filter(isRecord).map((entry) => ({
        user: redact(String(entry['user'] ?? '')),
        errors: strings(entry['errors']).map(redact),
        warnings: strings(entry['warnings']).map(redact),
      }))
      // any message means a problem, except the SCIM notice that only carries warnings
      const onlyWarnings = message === 'warning(s) found' && details.every((d) => d.errors.length === 0)
      return { ok: true, value: { ok: message === undefined || onlyWarnings, message, details } }
    },
    async listDevices() {
      const response = await call(scopes.readDevices, 'list devices', `${tailnetPath}/devices?fields=all`, { headers: { Accept: 'application/json' } }, 'idempotent')
      if (!(response instanceof Response)) return { ok: false, problem: response }
      const body: unknown = await response.json().catch(() => undefined)
      const devices = isRecord(body) && Array.isArray(body['devices']) ? body['devices'].filter(isRecord) : []
      return {
        ok: true,
        value: devices.map((d) => ({
          name: String(d['name'] ?? ''),
          ...(typeof d['hostname'] === 'string' ? { hostname: d['hostname'] } : {}),
          ...(typeof d['user'] === 'string' ? { user: d['user'] } : {}),
          tags: strings(d['tags']),
          addresses: strings(d['addresses']),
          advertisedRoutes: strings(d['advertisedRoutes']),
          enabledRoutes: strings(d['enabledRoutes']),
        })),
      }
    },
  }
}

/** A problem as a diagnostic, for the CLI's usual rendering. */
export function apiProblemDiagnostic(problem: ApiProblem): Diagnostic {
  return { code: `api-${problem.code}`, severity: 'error', message: redact(problem.message), hint: redact(problem.hint) }
}

interface ErrorBody {
  readonly message: string | undefined
  readonly data: unknown
}

async function readBody(response: Response): Promise<ErrorBody> {
  const text = await response.text().catch(() => '')
  try {
    const body: unknown = JSON.parse(text)
    if (isRecord(body)) return { message: typeof body['message'] === 'string' ? body['message'] : undefined, data: body['data'] === undefined ? undefined : JSON.parse(redact(JSON.stringify(body['data']))) }
  } catch {
    // not JSON: a proxy's error page, say
  }
  return { message: text.trim() === '' ? undefined : text.trim().slice(0, 200), data: undefined }
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('Retry-After')
  if (header === null) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0), 60) * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.min(Math.max(date - Date.now(), 0), 60_000)
}

function backoff(attempt: number): number {
  return 500 * 2 ** attempt
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
