import type { Argv } from 'yargs'
import type { TailorCommand } from '../command.js'

interface ScanArgs {
  readonly paths: readonly string[]
  readonly history: boolean
  readonly json: boolean
}

export const command: TailorCommand<ScanArgs> = {
  command: 'scan [paths..]',
  describe: 'find credentials (Tailscale keys, OAuth secrets, cloud tokens) in tracked files, plaintext stack secrets, and optionally git history',
  builder: (yargs: Argv) =>
    yargs
      .positional('paths', { type: 'string', array: true, default: [] as string[], describe: 'files or folders to scan (default: every tracked file)' })
      .option('history', { type: 'boolean', default: false, describe: 'also scan every line ever committed (a deleted key is still published)' })
      .option('json', { type: 'boolean', default: false, describe: 'print findings as JSON' }) as unknown as Argv<ScanArgs>,
  async run(args, { terminal, cwd }) {
    const { scanSecrets, findingDiagnostic, allowlistFile } = await import('../../io/scan-secrets.js')
    const { printJson, printText, renderDiagnostics, diagnosticJson } = await import('../print.js')
    const { hasErrors } = await import('../../model/diagnostic.js')
    const report = await scanSecrets({ root: cwd, paths: args.paths, history: args.history })
    const diagnostics = [...report.diagnostics, ...report.findings.map(findingDiagnostic)]
    if (args.json) {
      printJson(terminal, {
        ok: !hasErrors(diagnostics),
        filesScanned: report.filesScanned,
        allowed: report.allowed.length,
        findings: diagnostics.map((d) => diagnosticJson(d, cwd)),
      })
    } else {
      if (diagnostics.length > 0) terminal.out(renderDiagnostics(diagnostics, cwd))
      const allowed = report.allowed.length > 0 ? `, ${report.allowed.length} allowed by ${allowlistFile}` : ''
      const found = report.findings.length === 0 ? 'no credentials found' : `${report.findings.length} credential${report.findings.length === 1 ? '' : 's'} found`
      printText(terminal, `${found} in ${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'}${args.history ? ' and git history' : ''}${allowed}`)
    }
    return hasErrors(diagnostics) ? 1 : 0
  },
}
