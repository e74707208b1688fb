import { parseAlias } from '../parse/alias.js'
import { quote, type ValidationContext } from './context.js'

/**
 * `tests` and `sshTests`. Tailscale answers most bad test entries (unknown names, port lists, CIDRs)
 * with `test(s) failed` from its test runner, so only what it rejects while reading the file is
 * checked here: legacy-field conflicts and `sshTests` destinations.
 */
export function checkTests(ctx: ValidationContext): void {
  ctx.policy.tests?.forEach((test, index) => {
    const path = ['tests', index]
    if (test.src !== undefined && test.user !== undefined) {
      ctx.error('legacy-conflict', 'only one of `src` and the legacy `user` may be specified', [...path, 'user'], 'keep `src`')
    }
    if (test.accept !== undefined && test.allow !== undefined) {
      ctx.error('legacy-conflict', 'only one of `accept` and the legacy `allow` may be specified', [...path, 'allow'], 'move the entries of `allow` into `accept`')
    }
  })
  ctx.policy.sshTests?.forEach((test, index) => {
    test.dst?.forEach((text, i) => {
      const where = ['sshTests', index, 'dst', i]
      const trimmed = text.trim()
      if (trimmed.startsWith('tag:')) {
        if (!ctx.tags.has(trimmed)) ctx.error('unknown-tag', `SSH tests dst contains unknown tag ${quote(trimmed)}`, where, 'an SSH test destination is a device identity without a port, e.g. `tag:server`')
        return
      }
      const alias = parseAlias(trimmed)
      const disallowed =
        'error' in alias
          ? false
          : alias.kind === 'ip-range' || alias.kind === 'wildcard' || (alias.kind === 'prefix' && !alias.single) || (alias.kind === 'autogroup' && alias.name === 'internet')
      if (disallowed) {
        ctx.error('invalid-ssh-test-destination', `SSH tests dst contains disallowed element ${quote(trimmed)}`, where, 'SSH tests name devices: a tag, a login, a hosts name or one IP address')
      }
    })
  })
}
