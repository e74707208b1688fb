import type { TailnetPolicy } from '../../compile/tailnet-policy.js'
import type { Diagnostic, JsonPath } from '../../model/diagnostic.js'

/** What every rule check needs: the names the policy defines, the tailnet's domain, and a sink. */
export interface ValidationContext {
  readonly policy: TailnetPolicy
  readonly tags: ReadonlySet<string>
  readonly groups: ReadonlySet<string>
  readonly hosts: ReadonlyMap<string, string>
  readonly ipsets: ReadonlySet<string>
  readonly postures: ReadonlySet<string>
  /** the tailnet's own domain (`example.com` for `example.com` and for `alice@example.com`), when known */
  readonly domain: string | undefined
  error(code: string, message: string, path: JsonPath, hint?: string): void
  warning(code: string, message: string, path: JsonPath, hint?: string): void
}

export function createContext(policy: TailnetPolicy, tailnet: string | undefined, sink: Diagnostic[]): ValidationContext {
  const add = (severity: Diagnostic['severity']) => (code: string, message: string, path: JsonPath, hint?: string) => {
    sink.push(hint === undefined ? { code, severity, message, path } : { code, severity, message, path, hint })
  }
  return {
    policy,
    tags: new Set(Object.keys(policy.tagOwners ?? {})),
    groups: new Set(Object.keys(policy.groups ?? {})),
    hosts: new Map(Object.entries(policy.hosts ?? {})),
    ipsets: new Set(Object.keys(policy.ipsets ?? {})),
    postures: new Set(Object.keys(policy.postures ?? {})),
    domain: tailnet === undefined ? undefined : tailnetDomain(tailnet),
    error: add('error'),
    warning: add('warning'),
  }
}

/** `example.com` → `example.com`; a personal tailnet `alice@example.com` → `example.com`. */
export function tailnetDomain(tailnet: string): string {
  const at = tailnet.lastIndexOf('@')
  return (at < 0 ? tailnet : tailnet.slice(at + 1)).toLowerCase()
}

export function quote(text: string): string {
  return JSON.stringify(text)
}
