import { randomBytes } from 'node:crypto'

// built at run time so the repository itself never holds a key-shaped string (`tailor scan` stays clean)
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function fakeSecret(length: number): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('')
}

/** A string shaped like a Tailscale key of `kind` (`api`, `client`, `auth`): `tskey-<kind>-<id>-<secret>`. */
export function fakeTailscaleKey(kind: 'api' | 'client' | 'auth'): string {
  return ['tsk' + 'ey', kind, `k${fakeSecret(11)}CNTRL`, fakeSecret(32)].join('-')
}

export function fakeGithubToken(): string {
  return `gh${'p'}_${fakeSecret(36)}`
}

export function fakeJwt(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return [part({ alg: 'RS256', typ: 'JWT' }), part({ iss: 'https://token.actions.githubusercontent.com', sub: `repo:acme/policy:ref:refs/heads/main`, n: fakeSecret(8) }), fakeSecret(43)].join('.')
}
