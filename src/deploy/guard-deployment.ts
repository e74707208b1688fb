import { join } from 'node:path'
import * as pulumi from '@pulumi/pulumi'
import { tailscaleApi, type TailscaleApi } from '../io/tailscale-api.js'
import { redact } from '../model/redact.js'
import { guardLostUpdate, overwriteSwitch } from './lost-update-guard.js'
import { checkStackCredentials } from './stack-credentials-guard.js'
import { providerSettings, type ProviderSettings } from './tailscale-provider.js'

/** The stack output holding the policy text this stack applied; the next run compares the live policy with it. */
export const appliedPolicyOutput = 'appliedPolicy'

export interface GuardDeploymentArgs {
  /** the policy text about to be applied */
  readonly hujson: string
  /** default: `stacks/Pulumi.<stack>.yaml` */
  readonly stackConfigFile?: string
  readonly settings?: ProviderSettings
  /** default: this stack's own `appliedPolicy` output from its last update */
  readonly lastApplied?: string | undefined
  readonly api?: TailscaleApi
  readonly env?: Readonly<Record<string, string | undefined>>
}

/**
 * Everything the deploy program checks before it registers the policy, so a `pulumi up` from a laptop is held to
 * the same rules as CI: no plaintext credential in the stack config, and no silent overwrite of an edit made in
 * the admin console. Throws `pulumi.RunError` (a clean message, no stack trace) to stop the update.
 */
export async function guardDeployment(args: GuardDeploymentArgs): Promise<void> {
  const stackConfigFile = args.stackConfigFile ?? join('stacks', `Pulumi.${pulumi.getStack()}.yaml`)
  const credentials = await checkStackCredentials(stackConfigFile)
  if (!credentials.ok) throw new pulumi.RunError(redact(`refusing to deploy: the stack config holds a credential in plain text\n${credentials.problems.join('\n')}`))
  const settings = args.settings ?? providerSettings()
  for (const warning of settings.warnings) void pulumi.log.warn(redact(warning))
  const env = args.env ?? process.env
  const overwrite = /^(1|true|yes)$/i.test(env[overwriteSwitch.env] ?? '') || new pulumi.Config('tailor').getBoolean('overwriteLiveChanges') === true
  const lastApplied = 'lastApplied' in args ? args.lastApplied : await lastAppliedPolicy()
  const verdict = await guardLostUpdate(args.api ?? tailscaleApi(settings.api), { lastApplied, next: args.hujson, overwrite })
  if (!verdict.proceed) throw new pulumi.RunError(verdict.message)
  if (verdict.note) void pulumi.log.warn(redact(verdict.note))
}

/** The policy text this stack's last successful update applied, read back from its own outputs. */
export async function lastAppliedPolicy(): Promise<string | undefined> {
  const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`, {}, { })
  const value: unknown = await self.getOutputValue(appliedPolicyOutput).catch(() => undefined)
  return typeof value === 'string' ? value : undefined
}
