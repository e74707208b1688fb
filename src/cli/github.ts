import { appendFile } from 'node:fs/promises'
import type { Severity, SourceLocation } from '../model/diagnostic.js'
import { displayPath, redactSecrets } from './print.js'

/**
 * GitHub Actions workflow commands: findings as `::error file=…,line=…,col=…::` annotations on the
 * PR's diff, and a markdown summary appended to `$GITHUB_STEP_SUMMARY`. On when `GITHUB_ACTIONS` is
 * `true` or the command is given `--annotations`.
 */
export function wantsAnnotations(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag === true || (flag !== false && env['GITHUB_ACTIONS'] === 'true')
}

const level: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' }

/** One annotation line; `at` files are made relative to `cwd`, as GitHub expects repository paths. */
export function githubAnnotation(severity: Severity, message: string, at: SourceLocation | undefined, cwd: string, title?: string): string {
  const properties = [
    ...(at ? [`file=${escapeProperty(displayPath(at.file, cwd))}`, `line=${at.line}`, `col=${at.column}`] : []),
    ...(title ? [`title=${escapeProperty(title)}`] : []),
  ]
  return `::${level[severity]}${properties.length > 0 ? ` ${properties.join(',')}` : ''}::${escapeData(message)}\n`
}

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C')
}

/** Appends to the job summary when GitHub provides one; elsewhere does nothing. */
export async function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env['GITHUB_STEP_SUMMARY']
  if (!file) return
  await appendFile(file, `${redactSecrets(markdown)}\n`)
}
