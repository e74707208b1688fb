import { tagNameProblem } from '../parse/alias.js'
import { quote, type ValidationContext } from './context.js'
import { checkSelector } from './selector.js'

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
    owners.forEach((owner, index) => checkSelector(owner, { position: 'tag-owner', path: [...path, index], prefix }, ctx))
  }
}
