import type { TailnetPolicy } from './tailnet-policy.js'

/** The compiled policy as plain JSON (two-space indent, trailing newline), for tools that do not read HuJSON. */
export function renderJson(compiled: { readonly policy: TailnetPolicy }): string {
  return `${JSON.stringify(compiled.policy, null, 2)}\n`
}
