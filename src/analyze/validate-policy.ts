import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import { hasErrors, type Diagnostic } from '../model/diagnostic.js'
import { checkAcls } from './validate/acls.js'
import { checkAutoApprovers } from './validate/auto-approvers.js'
import { createContext } from './validate/context.js'
import { checkGrants } from './validate/grants.js'
import { checkGroups } from './validate/groups.js'
import { checkHosts } from './validate/hosts.js'
import { checkIpsets } from './validate/ipsets.js'
import { checkLegacyMembers } from './validate/legacy-members.js'
import { checkNodeAttrs } from './validate/node-attrs.js'
import { checkPostureNames, checkPostures } from './validate/postures.js'
import { checkSshRules } from './validate/ssh.js'
import { checkStructure } from './validate/structure.js'
import { checkTagOwners } from './validate/tag-owners.js'
import { checkTests } from './validate/tests.js'

export interface ValidationOptions {
  /** the tailnet's name (`example.com`, `alice@example.com`); enables the `user:*@domain` domain check */
  readonly tailnet?: string
}

export interface ValidationResult {
  /** the policy with Tailscale's key spellings and without `null` fields; set only when there is no error */
  readonly policy: TailnetPolicy | undefined
  readonly diagnostics: Diagnostic[]
}

/**
 * Reads a policy as Tailscale does before it accepts it: its shape (keys and JSON types), then its
 * meaning (selectors in their places, defined names, ports, protocols, grant, SSH and nodeAttrs rules).
 * Every problem is reported, each with a JSON `path`; messages use Tailscale's own words where known.
 * Whether `tests` and `sshTests` pass is not judged here (that is `run-tests.ts`).
 */
export function validatePolicy(raw: unknown, options: ValidationOptions = {}): ValidationResult {
  const structure = checkStructure(raw)
  const diagnostics = [...structure.diagnostics]
  if (!structure.wellTyped) return { policy: undefined, diagnostics }
  const ctx = createContext(structure.wellTyped as TailnetPolicy, options.tailnet, diagnostics)
  checkGroups(ctx)
  checkTagOwners(ctx)
  checkHosts(ctx)
  checkIpsets(ctx)
  checkPostures(ctx)
  checkAcls(ctx)
  checkGrants(ctx)
  checkSshRules(ctx)
  checkNodeAttrs(ctx)
  checkAutoApprovers(ctx)
  checkTests(ctx)
  checkPostureNames(ctx.policy.defaultSrcPosture, ['defaultSrcPosture'], ctx)
  checkLegacyMembers(ctx)
  const policy = hasErrors(diagnostics) ? undefined : (structure.value as TailnetPolicy)
  return { policy, diagnostics }
}
