import type { Argv } from 'yargs'
import type { PolicyDiff } from '../../analyze/diff.js'
import type { TailnetPolicy } from '../../compile/tailnet-policy.js'
import type { SourceMap } from '../../model/diagnostic.js'
import type { LoadedPolicy, PolicyLoadFailure } from '../../io/load-policy.js'
import type { TailorCommand } from '../command.js'
import { policyOption } from '../policy-input.js'

interface DiffArgs {
  readonly base: string
  readonly head: string | undefined
  readonly policy: string
  readonly format: 'text' | 'markdown' | 'json'
  readonly failOn: 'broaden' | 'narrow' | 'any' | undefined
  readonly annotations: boolean | undefined
  readonly color: boolean | undefined
}

export const command: TailorCommand<DiffArgs> = {
  command: 'diff [base] [head]',
  describe: 'what a policy change does to access: flows broadened and narrowed, with the rules responsible',
  builder: (yargs: Argv) =>
    yargs
      .positional('base', { type: 'string', default: 'git:HEAD', describe: 'the policy before: a file (.ts, .hujson, .json) or git:REF[:PATH]' })
      .positional('head', { type: 'string', describe: 'the policy after (default: --policy in the working tree)' })
      .option('policy', { ...policyOption, describe: `${policyOption.describe}; the default head, and the path read at git:REF` })
      .option('format', { choices: ['text', 'markdown', 'json'] as const, default: 'text' as const, describe: 'terminal text, a markdown PR comment, or JSON (schema tailor/diff@1)' })
      .option('fail-on', { choices: ['broaden', 'narrow', 'any'] as const, describe: 'exit 1 when access is broadened, narrowed, or changed at all' })
      .option('annotations', { type: 'boolean', describe: 'print GitHub annotations and a job summary (default: when GITHUB_ACTIONS=true)' })
      .option('color', { type: 'boolean', describe: 'colour the text output (default: when stdout is a terminal)' })
      .example('$0 diff', 'the working tree against the last commit')
      .example('$0 diff git:origin/main --format markdown', "a PR comment on the branch's change")
      .example('$0 diff --fail-on broaden', 'exit 1 when access grows')
      .example('$0 diff live.hujson policy/index.ts', 'a live policy file against the DSL') as unknown as Argv<DiffArgs>,
  async run(args, { terminal, cwd }) {
    const [print, { diffPolicies }, render, github, { validatePolicy }, { locateDiagnostics }, { hostNamesOf }] = await Promise.all([
      import('../print.js'),
      import('../../analyze/diff.js'),
      import('../../analyze/render-diff.js'),
      import('../github.js'),
      import('../../analyze/validate-policy.js'),
      import('../policy-input.js'),
      import('../../analyze/flows.js'),
    ])
    const [base, head] = await Promise.all([loadSide(args.base, args.policy, cwd), loadSide(args.head ?? args.policy, args.policy, cwd)])
    const failed = [base, head].filter((side): side is PolicyLoadFailure => !side.ok)
    if (failed.length > 0) {
      for (const side of failed) terminal.err(print.renderDiagnostics(side.diagnostics, cwd))
      return 2
    }
    const [before, after] = [base, head] as LoadedPolicy[]
    // a DSL policy with errors compiles to a partial file: its diff would report access it never meant to drop
    const broken = [before!, after!].filter((side) => side.diagnostics.some((d) => d.severity === 'error'))
    if (broken.length > 0) {
      for (const side of broken) terminal.err(print.renderDiagnostics(locateDiagnostics(side.diagnostics, side.sourceMap), cwd))
      return 2
    }
    for (const side of [before!, after!]) {
      // the diff reads what parses; a policy Tailscale would reject is worth knowing about first
      const errors = validatePolicy(side.policy).diagnostics.filter((d) => d.severity === 'error').length
      if (errors > 0) print.printError(terminal, `warning: ${print.displayPath(side.file, cwd)} has ${errors} validation error${errors === 1 ? '' : 's'} (\`tailor check\` shows them); the diff reads what parses`)
    }
    // locations as the user would type them, relative to where they stand
    const shown = (source: SourceMap): SourceMap => ({
      locate: (path) => {
        const at = source.locate(path)
        return at ? { ...at, file: print.displayPath(at.file, cwd) } : undefined
      },
    })
    const diff = diffPolicies(asPolicy(before!.policy), asPolicy(after!.policy), { baseSource: shown(before!.sourceMap), headSource: shown(after!.sourceMap) })
    const color = args.color ?? (terminal === print.processTerminal && process.stdout.isTTY === true && !process.env['NO_COLOR'])
    const hostNames = hostNamesOf(asPolicy(after!.policy), asPolicy(before!.policy))
    const text = args.format === 'json' ? render.renderDiffJson(diff) : args.format === 'markdown' ? render.renderDiffMarkdown(diff, { hostNames }) : render.renderDiffText(diff, { color, hostNames })
    terminal.out(text)
    if (github.wantsAnnotations(args.annotations)) {
      for (const change of diff.broadened) {
        const row = render.changeRow(change, { hostNames })
        const at = change.kind === 'flow' || change.kind === 'app' || change.kind === 'ssh' ? change.head[0]?.at : change.head?.at
        terminal.err(github.githubAnnotation('warning', `broadens access: ${row.who} → ${row.what} ${row.access}`, at, cwd, 'tailor diff'))
      }
      await github.appendStepSummary(render.renderDiffMarkdown(diff, { hostNames }))
    }
    return failsOn(diff, args.failOn) ? 1 : 0
  },
}

function failsOn(diff: PolicyDiff, failOn: DiffArgs['failOn']): boolean {
  if (failOn === 'broaden') return diff.broadened.length > 0
  if (failOn === 'narrow') return diff.narrowed.length > 0
  if (failOn === 'any') return diff.broadened.length + diff.narrowed.length > 0
  return false
}

async function loadSide(spec: string, defaultPath: string, cwd: string): Promise<LoadedPolicy | PolicyLoadFailure> {
  if (spec.startsWith('git:')) {
    const { loadPolicyAtRef } = await import('../../io/policy-at-git-ref.js')
    return loadPolicyAtRef(spec, defaultPath, cwd)
  }
  const { loadPolicyInput } = await import('../policy-input.js')
  return loadPolicyInput(spec, cwd)
}

// the diff reads any JSON object; parts of the wrong shape are skipped by the flow reader
function asPolicy(value: unknown): TailnetPolicy {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {}
}
