import * as pulumi from '@pulumi/pulumi'
import { applyPolicy } from './apply-policy.js'
import { checkedPolicy } from './checked-policy.js'
import { appliedPolicyOutput, guardDeployment, type GuardDeploymentArgs } from './guard-deployment.js'
import { createTailscaleProvider } from './tailscale-provider.js'
import { redact } from '../model/redact.js'

/** The steps that reach outside the program; tests replace the one that talks to Tailscale. */
export interface ProgramSteps {
  readonly guard: (args: GuardDeploymentArgs) => Promise<void>
}

/**
 * The Pulumi program (`Pulumi.yaml` names the compiled `dist/deploy/index.js`; Pulumi calls the default
 * export). It checks the policy exactly as `tailor check` does and stops with the failing tests
 * before anything is registered; then it registers the one `tailscale.Acl` holding the compiled file.
 *
 * Stack config: `tailor:policy` (default `policy/index.ts`), `tailor:nodes` (optional inventory for the
 * tests), `tailscale:tailnet` and the credential settings the provider reads.
 */
export default async function tailnetPolicyProgram(steps: Partial<ProgramSteps> = {}): Promise<Record<string, string>> {
  const config = new pulumi.Config('tailor')
  const policy = config.get('policy') ?? 'policy/index.ts'
  const tailnet = new pulumi.Config('tailscale').get('tailnet')
  const checked = await checkedPolicy({
    policy,
    nodes: config.get('nodes'),
    // a tailnet ID (`T1234…`) or `-` says nothing about the login domain the policy's `user:*@domain` may name
    tailnet: tailnet?.includes('.') ? tailnet : undefined,
  })
  // Pulumi prints this in CI logs; a policy file or a test name may quote a key
  if (!checked.ok) throw new pulumi.RunError(redact(checked.problems))
  await (steps.guard ?? guardDeployment)({ hujson: checked.hujson })
  applyPolicy({ hujson: checked.hujson }, { provider: createTailscaleProvider() })
  return { [appliedPolicyOutput]: checked.hujson }
}
