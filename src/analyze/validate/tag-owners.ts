import { tagNameProblem } from '../parse/alias.js'
import { quote, type ValidationContext } from './context.js'
import { checkSelector, undefinedHint } from './selector.js'

/**
 * `tagOwners`: tag names, and owners (logins, groups, tags, autogroups). Owner cycles are fine:
 * Tailscale accepts `tag:a` owning `tag:b` owning `tag:a`.
 */
export function checkTagOwners(ctx: ValidationContext): void {
  for (const [tag, owners] of Object.entries(ctx.policy.tagOwners ?? {})) {
    const path = ['tagOwners', tag]
    const prefix = `tagOwners[${quote(tag)}]: `
    const problem = tagNameProblem(tag)
    if (problem) ctx.error('invalid-tag-name', `${prefix}${problem}`, path, 'a tag is `tag:` and a name that starts with an ASCII letter, then letters, digits, `-`, `_` or `.`')
    owners.forEach((owner, index) => {
      const where = [...path, index]
      const name = owner.trim()
      // an undefined owning tag, in headscale's words (Tailscale's are not captured) after Tailscale's prefix
      if (name.startsWith('tag:') && !tagNameProblem(name) && !ctx.tags.has(name)) {
        ctx.error('unknown-tag', `${prefix}tag ${quote(tag)} references undefined tag ${quote(name)}`, where, undefinedHint(name, ctx.tags, 'define it in `tagOwners`'))
        return
      }
      checkSelector(owner, { position: 'tag-owner', path: where, prefix }, ctx)
    })
  }
}
