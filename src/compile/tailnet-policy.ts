/**
 * Tailscale's policy file, in Tailscale's own field names (tailscale.com/kb/1337/policy-syntax).
 * Everything tailor analyses is this shape, whether it came from the DSL, a hand-written HuJSON
 * file or the live tailnet, so `check`, `diff` and `explain` judge what Tailscale will enforce.
 */
export interface TailnetPolicy {
  readonly acls?: readonly AclRule[]
  readonly grants?: readonly Grant[]
  readonly ssh?: readonly SshRule[]
  readonly groups?: Readonly<Record<string, readonly string[]>>
  readonly tagOwners?: Readonly<Record<string, readonly string[]>>
  readonly hosts?: Readonly<Record<string, string>>
  readonly ipsets?: Readonly<Record<string, readonly string[]>>
  readonly postures?: Readonly<Record<string, readonly string[]>>
  readonly autoApprovers?: AutoApprovers
  readonly nodeAttrs?: readonly NodeAttr[]
  readonly tests?: readonly PolicyTest[]
  readonly sshTests?: readonly SshTest[]
  readonly defaultSrcPosture?: readonly string[]
  readonly derpMap?: unknown
  readonly disableIPv4?: boolean
  readonly randomizeClientPort?: boolean
  readonly OneCGNATRoute?: string
  readonly attrConfig?: unknown
}

/** A legacy ACL rule; `users`/`ports` are the pre-2021 spellings of `src`/`dst`. */
export interface AclRule {
  readonly action: string
  readonly src?: readonly string[]
  readonly dst?: readonly string[]
  readonly users?: readonly string[]
  readonly ports?: readonly string[]
  readonly proto?: string
  readonly srcPosture?: readonly string[]
}

export interface Grant {
  readonly src: readonly string[]
  readonly dst: readonly string[]
  readonly ip?: readonly string[]
  readonly app?: Readonly<Record<string, readonly unknown[]>>
  readonly via?: readonly string[]
  readonly srcPosture?: readonly string[]
}

export interface SshRule {
  readonly action: string
  readonly src?: readonly string[]
  readonly dst?: readonly string[]
  readonly users?: readonly string[]
  readonly checkPeriod?: string
  readonly acceptEnv?: readonly string[]
  readonly srcPosture?: readonly string[]
  readonly recorder?: readonly string[]
  readonly enforceRecorder?: boolean
}

export interface AutoApprovers {
  readonly routes?: Readonly<Record<string, readonly string[]>>
  readonly exitNode?: readonly string[]
  readonly services?: Readonly<Record<string, readonly string[]>>
}

export interface NodeAttr {
  readonly target: readonly string[]
  readonly attr?: readonly string[]
  readonly app?: Readonly<Record<string, readonly unknown[]>>
  readonly ipPool?: readonly string[]
}

/** A reachability assertion Tailscale re-runs on every policy change. */
export interface PolicyTest {
  readonly src?: string
  /** legacy spelling of `src` */
  readonly user?: string
  readonly proto?: string
  readonly srcPostureAttrs?: Readonly<Record<string, unknown>>
  readonly accept?: readonly string[]
  /** legacy spelling of `accept` */
  readonly allow?: readonly string[]
  readonly deny?: readonly string[]
}

export interface SshTest {
  readonly src: string
  readonly dst: readonly string[]
  readonly accept?: readonly string[]
  readonly check?: readonly string[]
  readonly deny?: readonly string[]
  readonly srcPostureAttrs?: Readonly<Record<string, unknown>>
}
