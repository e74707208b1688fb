import * as pulumi from '@pulumi/pulumi'
import * as tailscale from '@pulumi/tailscale'

export interface ApplyPolicyArgs {
  /** the compiled policy file, byte for byte what `tailor build` prints */
  readonly hujson: string
  /** the resource name; renaming it makes Pulumi replace the resource, so it stays fixed */
  readonly name?: string
}

/**
 * Registers the tailnet's policy file as one `tailscale.Acl`. The whole file is replaced on update,
 * and Tailscale re-runs its `tests` section before accepting it.
 */
export function applyPolicy(args: ApplyPolicyArgs, options: pulumi.CustomResourceOptions = {}): tailscale.Acl {
  return new tailscale.Acl(
    args.name ?? 'tailnet-policy',
    {
      acl: args.hujson,
      // the first `pulumi up` adopts a tailnet whose file was edited by hand; without it the apply fails
      overwriteExistingContent: true,
      // Tailscale's default policy allows everything: destroying the stack must leave the last policy in place
      resetAclOnDestroy: false,
    },
    { ...options, protect: true },
  )
}
