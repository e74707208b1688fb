import { readFile } from 'node:fs/promises'
import { findPlaintextStackSecrets } from '../analyze/secrets.js'

export interface StackCredentialsVerdict {
  readonly ok: boolean
  /** one line per finding, redacted */
  readonly problems: readonly string[]
}

/**
 * Refuses a stack config that holds a credential in plain text (`tailscale:oauthClientSecret: tskey-…` rather than
 * a `secure:` value): such a file is committed, so the key is already leaked, and deploying would bless it.
 */
export async function checkStackCredentials(stackConfigFile: string): Promise<StackCredentialsVerdict> {
  const text = await readFile(stackConfigFile, 'utf8').catch(() => undefined)
  if (text === undefined) return { ok: true, problems: [] }
  const findings = findPlaintextStackSecrets(text, stackConfigFile)
  return {
    ok: findings.length === 0,
    problems: findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.label} in plain text: \`${f.preview}\`; store it with \`pulumi config set --secret\` and revoke the old value`),
  }
}
