import type { Argv } from 'yargs'
import type { TailorCommand } from '../command.js'

interface InitArgs {
  readonly dir: string
  readonly name: string | undefined
  readonly tailorSpec: string | undefined
  readonly force: boolean
}

export const command: TailorCommand<InitArgs> = {
  command: 'init [dir]',
  describe: "scaffold a team's policy repository: policy/, stacks/ (test and prod), Pulumi.yaml, CI workflows, README",
  builder: (yargs: Argv) =>
    yargs
      .positional('dir', { type: 'string', default: '.', describe: 'the folder to create or fill' })
      .option('name', { type: 'string', describe: 'package and Pulumi project name (default: the folder name)' })
      .option('tailor-spec', { type: 'string', describe: 'the dependency on tailor written to package.json (default: ^<this version>)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite files that already exist' }) as unknown as Argv<InitArgs>,
  async run(args, { terminal, cwd }) {
    const { basename, resolve } = await import('node:path')
    const { createRequire } = await import('node:module')
    const { scaffoldPolicyRepo, packageNameFor } = await import('../../io/scaffold.js')
    const { printError, printText } = await import('../print.js')
    const dir = resolve(cwd, args.dir)
    const manifest: unknown = createRequire(import.meta.url)('../../../package.json')
    const version = typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : '0.0.0'
    const result = await scaffoldPolicyRepo({ dir, name: args.name ?? packageNameFor(basename(dir)), tailorSpec: args.tailorSpec ?? `^${version}`, force: args.force })
    if (result.written.length === 0 && result.conflicts.length > 0) {
      printError(terminal, `tailor init: ${dir} already has ${result.conflicts.map((c) => `\`${c}\``).join(', ')}; nothing was written\n  → pass --force to overwrite them, or choose an empty folder`)
      return 2
    }
    printText(terminal, `created a policy repository in ${dir}:\n${result.written.map((f) => `  ${f}`).join('\n')}\n\nnext:\n  cd ${args.dir}\n  npm install\n  npx tailor check\n  git init && git add -A && git commit -m "Tailnet policy"\nthen follow "CI and deployment" in tailor's README to connect the workflows to your tailnets.`)
    return 0
  },
}
