import type { Inventory } from '../model/inventory.js'
import type { SourceMap } from '../model/diagnostic.js'
import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import { exitCode, type CommandContext } from './command.js'

/** A valid policy and the devices to evaluate it on, with where its parts were written. */
export interface PolicyOnDevices {
  readonly policy: TailnetPolicy
  readonly sourceMap: SourceMap
  readonly inventory: Inventory
  /** false when no `--nodes` was given and the devices are made up, one per name the policy uses */
  readonly realDevices: boolean
}

/**
 * What `explain` and `netmap` both start with: load `--policy`, read `--nodes` if given (it also says
 * which tailnet, for `user:*@domain`), validate, and otherwise make up devices. A problem is printed here
 * and comes back as the exit code, so each command goes on only with something it can evaluate.
 */
export async function loadPolicyOnDevices(options: { readonly policy: string; readonly nodes: string | undefined }, { terminal, cwd }: CommandContext): Promise<PolicyOnDevices | number> {
  const [{ loadPolicyInput, loadFailureExitCode, locateDiagnostics }, print, { readInventory }, { validatePolicy }, { synthesizeInventory }, { hasErrors }] = await Promise.all([
    import('./policy-input.js'),
    import('./print.js'),
    import('../io/read-inventory.js'),
    import('../analyze/validate-policy.js'),
    import('../analyze/synthetic-inventory.js'),
    import('../model/diagnostic.js'),
  ])
  const loaded = await loadPolicyInput(options.policy, cwd)
  if (!loaded.ok) {
    terminal.err(print.renderDiagnostics(loaded.diagnostics, cwd))
    return loadFailureExitCode(loaded)
  }
  const read = options.nodes === undefined ? undefined : await readInventory(options.nodes, cwd)
  if (read && !read.inventory) {
    terminal.err(print.renderDiagnostics(read.diagnostics, cwd))
    return exitCode.cannotRun
  }
  const validated = validatePolicy(loaded.policy, read?.inventory ? { tailnet: read.inventory.tailnet } : {})
  const diagnostics = locateDiagnostics([...loaded.diagnostics, ...validated.diagnostics], loaded.sourceMap)
  if (hasErrors(diagnostics) || !validated.policy) {
    terminal.err(print.renderDiagnostics(diagnostics, cwd))
    print.printError(terminal, `✗ ${options.policy}: ${print.summarizeDiagnostics(diagnostics)} (\`tailor check\` shows the details)`)
    return exitCode.policyFails
  }
  return {
    policy: validated.policy,
    sourceMap: loaded.sourceMap,
    inventory: read?.inventory ?? synthesizeInventory(validated.policy),
    realDevices: read !== undefined,
  }
}
