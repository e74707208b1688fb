import { createHash } from 'node:crypto'
import { credentialPatterns, redact } from '../model/redact.js'
import { lineColumn, lineStarts } from '../model/text-position.js'

/** A credential found in a text, located and described without its secret part. */
export interface CredentialFinding {
  readonly file: string
  readonly line: number
  readonly column: number
  /** a {@link credentialPatterns} id, or `plaintext-stack-secret` */
  readonly kind: string
  readonly label: string
  /** the line, redacted and trimmed: safe to print in a CI log */
  readonly preview: string
  /** `sha256:` and 16 hex digits of the secret: lets an allowlist name a finding without holding it */
  readonly fingerprint: string
}

/**
 * Finds credentials in one file's text. Placeholders in docs (`tskey-api-xxxxx`, `tskey-auth-…`) are not
 * findings: a real secret part is long and varied, a placeholder is short or one repeated character.
 */
export function findCredentials(text: string, file: string): CredentialFinding[] {
  const lines = lineStarts(text)
  const findings: CredentialFinding[] = []
  const claimed: [number, number][] = []
  for (const { id, label, pattern, keep } of credentialPatterns) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index
      const secret = match[0]
      const end = start + secret.length
      if (claimed.some(([s, e]) => start < e && s < end)) continue
      if (looksLikePlaceholder(secret.slice(keep(secret).length))) continue
      claimed.push([start, end])
      findings.push(finding(text, lines, file, start, id, label, secret))
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column)
}

// Pulumi marks a secret config value as a nested `secure:` map; any other value of a secret-named key is plaintext
const secretKeyName = /(?:secret|password|passwd|token|apikey|api_key|api-key|privatekey|private_key|credential)/i
const notASecretValue = /(?:name|id|url|file|path|audience|scopes?)$/i

/**
 * Finds credentials stored in plain text in a Pulumi stack config (`stacks/Pulumi.<stack>.yaml`): any
 * recognised key, and any value of a secret-named key (`tailscale:oauthClientSecret`, `...:apiKey`,
 * `...:identityToken`) that is not a `secure:` value.
 */
export function findPlaintextStackSecrets(text: string, file: string): CredentialFinding[] {
  const findings = findCredentials(text, file)
  const lines = lineStarts(text)
  text.split('\n').forEach((line, index) => {
    const entry = /^(\s*)([A-Za-z0-9_.:-]+)\s*:\s*(.*?)\s*$/.exec(line)
    if (!entry) return
    const [, , key = '', rawValue = ''] = entry
    const value = rawValue.replace(/^["']|["']$/g, '')
    if (!secretKeyName.test(key) || notASecretValue.test(key) || key === 'secure') return
    // `file:` is the provider's own way to read a secret from disk; `#` starts a comment
    if (value === '' || value.startsWith('#') || value.startsWith('file:') || value.startsWith('${')) return
    if (findings.some((f) => f.line === index + 1)) return
    const start = lines[index]! + line.indexOf(rawValue)
    findings.push(finding(text, lines, file, start, 'plaintext-stack-secret', `plaintext value of \`${key}\``, value))
  })
  return findings.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** The fingerprint an allowlist entry uses for a secret. */
export function credentialFingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`
}

function finding(text: string, lines: readonly number[], file: string, start: number, kind: string, label: string, secret: string): CredentialFinding {
  const { line, column } = lineColumn(lines, start)
  const lineText = text.slice(lines[line - 1]!, lines[line] ?? text.length).replace(/\r?\n$/, '')
  const preview = redactWhole(lineText, secret).trim()
  return { file, line, column, kind, label, preview: preview.length > 160 ? `${preview.slice(0, 157)}...` : preview, fingerprint: credentialFingerprint(secret) }
}

// plaintext stack values match no pattern, so they are masked by position as well as by `redact`
function redactWhole(lineText: string, secret: string): string {
  const redacted = redact(lineText)
  const firstLine = secret.split('\n')[0] ?? ''
  return firstLine.length > 0 ? redacted.split(firstLine).join('[redacted]') : redacted
}

function looksLikePlaceholder(secretPart: string): boolean {
  const body = secretPart.replace(/[^A-Za-z0-9]/g, '')
  if (body.length < 16) return true
  if (new Set(body.toLowerCase()).size < 6) return true
  return /example|placeholder|redacted|your(?:key|token|secret)/i.test(secretPart)
}
