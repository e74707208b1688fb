/**
 * tailor's public API: Tailscale access policy as typed TypeScript.
 *
 * Writing a policy (`policy/index.ts` default-exports one):
 * - `definePolicy(declarations, (p) => ({ rules, tests })): Policy`: declare tags (with their owners),
 *   groups, hosts and services once; `p` then knows only those names (`p.tag.frontend`,
 *   `p.service.api`), and a typo is a TypeScript error and, for JavaScript callers, a diagnostic with
 *   "did you mean".
 * - rules: `p.allow(...sources).to(destination, ...ports)` (a grant; services bring their own ports),
 *   `.via(tag)`, `.when('posture:x')`, `.because('reason')`; `p.ssh(...sources).to(...dsts).as(...users)`
 *   with `.check(period?)`, `.acceptEnv(...)`; `p.raw({ section: ... })` for sections the DSL does not model.
 * - selectors: `p.tag.x`, `p.group.x`, `p.host.x`, `p.service.x`, `p.user(email)`, `p.address(ipOrCidr)`,
 *   `p.autogroup.member` (and the other autogroups), `p.any` (`*`), `p.raw('ipset:prod')`.
 * - tests: `p.expect(source).canReach(dst, ...ports)`, `.cannotReach(dst, ...ports)` (no ports: any port),
 *   `.canSsh(dst, ...users)`, `.canSshAfterCheck(dst, ...users)`, `.cannotSsh(dst, ...users)`.
 * - `Port.tcp(n)`, `Port.udp(n)`, `Port.range(proto, a, b)`, `Port.all(proto)`, `Port.icmp()`, `Port.any()`,
 *   `Port.number(n)`, `Port.parse(text)`, `Port.SSH`/`HTTP`/`HTTPS`/`DNS`/`POSTGRES`; `String(port)` is what is emitted.
 * - several files: `defineInventory(declarations)` per file, `combine(a, b, ...)` to join them (a name
 *   declared twice is reported with both places), `Scope<typeof inventory>` to type a rule set's `p`.
 *
 * Compiling (what `tailor build` does):
 * - `compilePolicy(policy): CompiledPolicy` → `{ policy: TailnetPolicy, sourceMap, comments, diagnostics }`
 * - `renderHujson(compiled): string` (origin comment per rule) and `renderJson(compiled): string`
 * - `isPolicy(value)`: whether a module's export is a policy.
 */
export { definePolicy, isPolicy } from './dsl/define-policy.js'
export type { PolicyBody, Scope } from './dsl/define-policy.js'
export { defineInventory, combine } from './dsl/define-inventory.js'
export type { Declarations, Inventory, Email, TagOwner, ServiceSpec } from './dsl/define-inventory.js'
export type {
  PolicyScope,
  AccessRuleStatement,
  SshRuleStatement,
  Source,
  Destination,
  TestSource,
  TestDestination,
} from './dsl/scope.js'
export { Port } from './model/port.js'
export type { Protocol } from './model/port.js'
export type { Policy, Selector, Rule, Expectation } from './model/policy.js'
export type { Diagnostic, SourceLocation, SourceMap, JsonPath } from './model/diagnostic.js'
export { compilePolicy } from './compile/compile.js'
export type { CompiledPolicy, OriginComment } from './compile/compile.js'
export { renderHujson } from './compile/render-hujson.js'
export { renderJson } from './compile/render-json.js'
export type { TailnetPolicy } from './compile/tailnet-policy.js'
