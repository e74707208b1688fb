import { liveDrift } from '../analyze/live-drift.js'
import type { PolicyDiff } from '../analyze/diff.js'
import { renderDiffText } from '../analyze/render-diff.js'
import { readHujson } from '../io/read-hujson.js'
import type { TailscaleApi } from '../io/tailscale-api.js'
import { redact } from '../model/redact.js'

export interface LostUpdateInput {
  /** the policy text this stack applied last (its `appliedPolicy` output); undefined on the first apply */
  readonly lastApplied: string | undefined
  /** the policy text the tailnet holds now */
  readonly live: string
  /** the policy text about to be applied */
  readonly next: string
  /** the operator said to overwrite changes made outside git */
  readonly overwrite: boolean
}

export type LostUpdateVerdict =
  | { readonly proceed: true; readonly note: string | undefined }
  | { readonly proceed: false; readonly message: string; readonly diff: PolicyDiff | undefined }

/** How an operator says "overwrite it anyway", once, for one apply. */
export const overwriteSwitch = { config: 'tailor:overwriteLiveChanges', env: 'TAILOR_OVERWRITE_LIVE_CHANGES' } as const

/**
 * The provider posts the policy without `If-Match`, so an edit made in the admin console after the last apply
 * would be overwritten without a word. This compares the live policy with the one this stack applied last and
 * stops, showing what the out-of-band edit changed, unless told to overwrite. On a stack's first apply there is no
 * record, so a live policy that differs from the one about to be applied is shown and needs the same consent.
 */
export function checkLostUpdate(input: LostUpdateInput): LostUpdateVerdict {
  const reference = input.lastApplied ?? input.next
  if (input.live === reference) return { proceed: true, note: undefined }
  const live = readHujson(input.live, 'live policy').value
  const known = readHujson(reference, input.lastApplied === undefined ? 'new policy' : 'last applied policy').value
  if (live === undefined || known === undefined) {
    return decide(input, undefined, 'the live policy differs from the last applied one and cannot be compared semantically')
  }
  const drift = liveDrift(known, live)
  if (!drift.drifted) {
    return { proceed: true, note: 'the live policy differs from the last applied one only in comments or formatting; those edits will be replaced' }
  }
  const what = input.lastApplied === undefined
    ? 'this stack has never applied a policy, and the live policy differs from the one about to be applied (base: new policy, head: live)'
    : 'the live policy was changed outside git since this stack last applied it (base: last applied, head: live)'
  return decide(input, drift.diff, what)
}

function decide(input: LostUpdateInput, diff: PolicyDiff | undefined, what: string): LostUpdateVerdict {
  if (input.overwrite) return { proceed: true, note: `${what}; overwriting it as ${overwriteSwitch.env} / ${overwriteSwitch.config} asks` }
  const shown = diff ? `\n${renderDiffText(diff)}` : '\n'
  const message = redact(
    `refusing to apply: ${what}.${shown}` +
      `Bring the change into git (\`tailor pull\`, then edit policy/ and merge), or overwrite it once with ` +
      `\`${overwriteSwitch.env}=true pulumi up\` (or \`pulumi config set ${overwriteSwitch.config} true\`).`,
  )
  return { proceed: false, message, diff }
}

/** Reads the live policy and judges it; a failed read stops the apply too, since it cannot be judged. */
export async function guardLostUpdate(api: TailscaleApi, input: Omit<LostUpdateInput, 'live'>): Promise<LostUpdateVerdict> {
  const live = await api.getPolicy()
  if (!live.ok) {
    return { proceed: false, message: redact(`refusing to apply: cannot read the live policy to check for changes made outside git: ${live.problem.message}\n${live.problem.hint}`), diff: undefined }
  }
  return checkLostUpdate({ ...input, live: live.value.text })
}
