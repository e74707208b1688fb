import { execFile } from 'node:child_process'
import { readFile, readdir, stat } from 'node:fs/promises'
import { basename, join, relative, sep } from 'node:path'
import { promisify } from 'node:util'
import type { Diagnostic } from '../model/diagnostic.js'
import { findCredentials, findPlaintextStackSecrets, type CredentialFinding } from '../analyze/secrets.js'
import { readHujson } from './read-hujson.js'

const run = promisify(execFile)

/** The file a repository lists the findings it accepts in, each with the reason it is not a leak. */
export const allowlistFile = '.tailor-scan-allow.json'

export interface AllowEntry {
  /** a path relative to the repository root; `dir/` covers a folder, `*` matches within a path segment */
  readonly path: string
  /** limits the entry to one secret (`tailor scan` prints it); without it the whole path is allowed */
  readonly fingerprint?: string
  readonly reason: string
}

export interface ScanOptions {
  /** the repository (or folder) whose files are scanned and whose allowlist applies */
  readonly root: string
  /** files or folders inside `root`; every tracked file when empty */
  readonly paths?: readonly string[]
  /** also scan every line ever added in the git history */
  readonly history?: boolean
}

export interface ScanFinding extends CredentialFinding {
  /** the commit that added it, for findings in history */
  readonly commit?: string
}

export interface ScanReport {
  readonly findings: readonly ScanFinding[]
  /** findings an allowlist entry accepted */
  readonly allowed: readonly ScanFinding[]
  readonly filesScanned: number
  /** allowlist problems and files that could not be read */
  readonly diagnostics: readonly Diagnostic[]
}

const skippedFolders = new Set(['.git', 'node_modules', 'dist', 'coverage', '.pulumi'])
const largestFile = 2 * 1024 * 1024

/**
 * Scans the tracked files of a repository (every file, outside git) for credentials, and stack configs for
 * plaintext values that should be `secure:`. With `history`, every line ever committed is scanned too,
 * because a key deleted in a later commit is still published.
 */
export async function scanSecrets(options: ScanOptions): Promise<ScanReport> {
  const { root } = options
  const allow = await readAllowlist(root)
  const diagnostics: Diagnostic[] = [...allow.diagnostics]
  const files = await listFiles(root, options.paths ?? [])
  const all: ScanFinding[] = []
  for (const file of files) {
    const text = await readText(join(root, file))
    if (text === undefined) continue
    all.push(...(isStackConfig(file) ? findPlaintextStackSecrets(text, file) : findCredentials(text, file)))
  }
  if (options.history) all.push(...(await scanHistory(root)))
  const findings: ScanFinding[] = []
  const allowed: ScanFinding[] = []
  for (const found of all) (allow.entries.some((entry) => allows(entry, found)) ? allowed : findings).push(found)
  return { findings, allowed, filesScanned: files.length, diagnostics }
}

/** A finding as a diagnostic at `file:line:column`, its secret redacted. */
export function findingDiagnostic(finding: ScanFinding): Diagnostic {
  const where = finding.commit ? ` (added in commit ${finding.commit.slice(0, 12)})` : ''
  const stack = finding.kind === 'plaintext-stack-secret'
  return {
    code: stack ? 'plaintext-stack-secret' : 'leaked-credential',
    severity: 'error',
    message: `${finding.label}${stack ? '' : ' in plain text'}${where}: \`${finding.preview}\` (${finding.fingerprint})`,
    at: { file: finding.file, line: finding.line, column: finding.column },
    hint: stack
      ? 'store it with `pulumi config set --secret <key>` (or use workload identity and drop it), then revoke the old value'
      : finding.commit
        ? 'revoke the credential now: it is published in git history even if a later commit removed it'
        : `revoke the credential, remove it, and load it from the environment; a test fixture builds fake keys at run time or is listed in ${allowlistFile} with a reason`,
  }
}

export function isStackConfig(file: string): boolean {
  return /^Pulumi\.[^/]+\.ya?ml$/.test(basename(file))
}

async function listFiles(root: string, paths: readonly string[]): Promise<string[]> {
  try {
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...paths], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
    return [...new Set(stdout.split('\0').filter((f) => f !== ''))].sort()
  } catch {
    // not a git repository: walk the folders instead
    const found: string[] = []
    for (const path of paths.length > 0 ? paths : ['.']) await walk(root, join(root, path), found)
    return found.sort()
  }
}

async function walk(root: string, path: string, found: string[]): Promise<void> {
  const info = await stat(path).catch(() => undefined)
  if (!info) return
  if (info.isFile()) {
    found.push(relative(root, path).split(sep).join('/'))
    return
  }
  if (!info.isDirectory() || skippedFolders.has(basename(path))) return
  for (const entry of await readdir(path)) await walk(root, join(path, entry), found)
}

async function readText(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined)
  if (!info?.isFile() || info.size > largestFile) return undefined
  const bytes = await readFile(path)
  return bytes.includes(0) ? undefined : bytes.toString('utf8')
}

async function scanHistory(root: string): Promise<ScanFinding[]> {
  let log: string
  try {
    ;({ stdout: log } = await run('git', ['log', '--all', '-p', '-U0', '--no-color', '--no-ext-diff', '--format=commit %H'], { cwd: root, maxBuffer: 512 * 1024 * 1024 }))
  } catch {
    return []
  }
  const findings: ScanFinding[] = []
  let commit = ''
  let file = ''
  let line = 0
  for (const text of log.split('\n')) {
    if (text.startsWith('commit ')) commit = text.slice(7)
    else if (text.startsWith('+++ ')) file = text.startsWith('+++ b/') ? text.slice(6) : ''
    else if (text.startsWith('@@')) line = Number(/\+(\d+)/.exec(text)?.[1] ?? 0)
    else if (text.startsWith('+') && file !== '') {
      const added = text.slice(1)
      const found = isStackConfig(file) ? findPlaintextStackSecrets(added, file) : findCredentials(added, file)
      for (const f of found) {
        // the same secret in many commits is one leak; report where it first appears (git log lists newest first)
        const key = `${f.file}\0${f.fingerprint}`
        const index = findings.findIndex((g) => `${g.file}\0${g.fingerprint}` === key)
        const located = { ...f, line, commit }
        if (index >= 0) findings[index] = located
        else findings.push(located)
      }
      line++
    }
  }
  return findings
}

interface Allowlist {
  readonly entries: readonly AllowEntry[]
  readonly diagnostics: readonly Diagnostic[]
}

async function readAllowlist(root: string): Promise<Allowlist> {
  const file = join(root, allowlistFile)
  const text = await readFile(file, 'utf8').catch(() => undefined)
  if (text === undefined) return { entries: [], diagnostics: [] }
  const document = readHujson(text, allowlistFile)
  if (document.diagnostics.length > 0) return { entries: [], diagnostics: document.diagnostics }
  const list = isRecord(document.value) ? document.value['allow'] : undefined
  if (!Array.isArray(list)) {
    return { entries: [], diagnostics: [{ code: 'invalid-scan-allowlist', severity: 'error', message: `\`${allowlistFile}\` must be {"allow": [{"path", "fingerprint"?, "reason"}]}`, at: { file: allowlistFile, line: 1, column: 1 } }] }
  }
  const entries: AllowEntry[] = []
  const diagnostics: Diagnostic[] = []
  list.forEach((entry: unknown, index) => {
    const at = document.sourceMap.locate(['allow', index])
    const path = isRecord(entry) ? entry['path'] : undefined
    const reason = isRecord(entry) ? entry['reason'] : undefined
    const fingerprint = isRecord(entry) ? entry['fingerprint'] : undefined
    if (typeof path !== 'string' || typeof reason !== 'string' || reason.trim() === '' || (fingerprint !== undefined && typeof fingerprint !== 'string')) {
      diagnostics.push({
        code: 'invalid-scan-allowlist',
        severity: 'error',
        message: `allowlist entry ${index} needs a \`path\` and a non-empty \`reason\``,
        ...(at ? { at } : {}),
        hint: 'say why the match is not a secret, e.g. "fake key built for the redaction test"',
      })
      return
    }
    entries.push({ path, reason, ...(typeof fingerprint === 'string' ? { fingerprint } : {}) })
  })
  return { entries, diagnostics }
}

function allows(entry: AllowEntry, finding: ScanFinding): boolean {
  if (entry.fingerprint !== undefined && entry.fingerprint !== finding.fingerprint) return false
  if (entry.path.endsWith('/')) return finding.file.startsWith(entry.path)
  const pattern = new RegExp(`^${entry.path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`)
  return pattern.test(finding.file)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
