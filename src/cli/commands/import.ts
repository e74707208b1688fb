import type { Argv } from 'yargs'
import type { TailorCommand } from '../command.js'

interface ImportArgs {
  readonly file: string
  readonly out: string
  readonly force: boolean
}

export const command: TailorCommand<ImportArgs> = {
  command: 'import <file>',
  describe: 'adopt a hand-written policy file: write it as DSL source (index, inventory, access, expectations)',
  builder: (yargs: Argv) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'the Tailscale policy file (.hujson, .json), e.g. from `tailor pull`' })
      .option('out', { type: 'string', default: 'policy', describe: 'the folder to write the DSL source into' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite files that already exist' })
      .example('$0 import live.hujson', 'write policy/*.ts from the live file')
      .example('$0 import policy.hujson --out acme/policy', 'into another folder')
      .example('$0 import live.hujson --force', 'import again over an earlier import')
      .epilogue('Then `tailor diff <file> policy/index.ts --fail-on any` must report no change in access.') as unknown as Argv<ImportArgs>,
  async run(args, { terminal, cwd }) {
    const { basename, relative, resolve, sep } = await import('node:path')
    const [{ loadPolicyInput, loadFailureExitCode, locateDiagnostics }, print, { validatePolicy }, { importPolicy }, { writeGeneratedFiles }] = await Promise.all([
      import('../policy-input.js'),
      import('../print.js'),
      import('../../analyze/validate-policy.js'),
      import('../../adopt/import-policy.js'),
      import('../../io/write-generated-files.js'),
    ])
    // a DSL module is code, and importing it would run it: only policy files are read
    if (/\.[cm]?[jt]s$/i.test(args.file)) {
      print.printError(terminal, `tailor import: \`${args.file}\` is already DSL source; import reads a Tailscale policy file (.hujson, .json)`)
      return 2
    }
    const loaded = await loadPolicyInput(args.file, cwd)
    if (!loaded.ok) {
      terminal.err(print.renderDiagnostics(loaded.diagnostics, cwd))
      return loadFailureExitCode(loaded)
    }
    if (loaded.format !== 'hujson') {
      print.printError(terminal, `tailor import: \`${args.file}\` is already DSL source; import reads a Tailscale policy file (.hujson, .json)`)
      return 2
    }
    // only a policy Tailscale would accept has an access to keep
    const errors = validatePolicy(loaded.policy).diagnostics.filter((d) => d.severity === 'error')
    if (errors.length > 0) {
      terminal.err(print.renderDiagnostics(locateDiagnostics(errors, loaded.sourceMap), cwd))
      print.printError(terminal, `tailor import: \`${args.file}\` is not a valid policy (${print.summarizeDiagnostics(errors)}); nothing was written`)
      return 1
    }
    const imported = importPolicy(loaded.policy as never, { ...(loaded.text === undefined ? {} : { text: loaded.text }), source: basename(loaded.file) })
    const out = resolve(cwd, args.out)
    const result = await writeGeneratedFiles(out, imported.files, { force: args.force })
    const shownOut = print.displayPath(out, cwd)
    if (result.written.length === 0) {
      print.printError(terminal, `tailor import: ${shownOut} already has ${result.conflicts.map((c) => `\`${c}\``).join(', ')}; nothing was written\n  → pass --force to overwrite them, or choose another --out`)
      return 2
    }
    const index = [shownOut, 'index.ts'].join('/').split(sep).join('/')
    const lines = [`wrote ${result.written.length} files to ${shownOut}/:`, ...result.written.map((f) => `  ${f}`)]
    if (imported.raw.length > 0) {
      lines.push('', `kept as p.raw(...), which the DSL does not model yet (${imported.raw.length}):`)
      // in the file's order, so the list reads alongside it
      const located = locateDiagnostics(imported.raw, loaded.sourceMap).map((d, i) => ({ d, i }))
      located.sort((a, b) => (a.d.at?.line ?? 0) - (b.d.at?.line ?? 0) || (a.d.at?.column ?? 0) - (b.d.at?.column ?? 0) || a.i - b.i)
      for (const { d } of located) {
        const where = d.at ? `${print.displayPath(d.at.file, cwd)}:${d.at.line}:${d.at.column}` : '(policy)'
        lines.push(`  ${where}  ${d.message}`)
      }
    }
    const original = relative(cwd, loaded.file).split(sep).join('/') || args.file
    lines.push('', 'next: check that the DSL says the same as the file (expect "no change in access"):', `  npx tailor diff ${original} ${index} --fail-on any`)
    print.printText(terminal, lines.join('\n'))
    return 0
  },
}
