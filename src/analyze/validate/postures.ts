import type { JsonPath } from '../../model/diagnostic.js'
import { quote, type ValidationContext } from './context.js'
import { undefinedHint } from './selector.js'

/** `srcPosture` and `defaultSrcPosture` entries name postures the file defines. */
export function checkPostureNames(names: readonly string[] | undefined, path: JsonPath, ctx: ValidationContext): void {
  names?.forEach((name, index) => {
    const where = [...path, index]
    if (!name.startsWith('posture:')) {
      ctx.error('invalid-posture', `posture names must start with 'posture:', got: ${quote(name)}`, where, 'write `posture:<name>` and define it in `postures`')
    } else if (!ctx.postures.has(name)) {
      ctx.error('unknown-posture', `posture not found: ${quote(name)}`, where, undefinedHint(name, ctx.postures, 'define it in `postures`'))
    }
  })
}

/** The `postures` section: `posture:<name>` → conditions such as `node:os IN ['macos']`. */
export function checkPostures(ctx: ValidationContext): void {
  for (const [name, conditions] of Object.entries(ctx.policy.postures ?? {})) {
    const path = ['postures', name]
    if (!name.startsWith('posture:') || name.length === 'posture:'.length) {
      ctx.error('invalid-posture', `posture names must start with 'posture:', got: ${quote(name)}`, path, 'write `posture:<name>`')
    }
    conditions.forEach((condition, index) => {
      if (!/^\s*[A-Za-z0-9]+:[A-Za-z0-9_.-]+/.test(condition)) {
        ctx.error('invalid-posture', `invalid posture condition ${quote(condition)}`, [...path, index], "a condition reads `node:os IN ['macos']` or `node:tsVersion >= '1.60'`")
      }
    })
  }
}
