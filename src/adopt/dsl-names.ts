import { isAddress } from '../dsl/scope.js'
import { Port } from '../model/port.js'
import type { AutogroupName } from '../model/policy.js'
import { member, quote } from './typescript-literal.js'

/** Where a selector stands decides which DSL selectors its type allows (`src/dsl/scope.ts`). */
export type Position = 'src' | 'dst' | 'sshSrc' | 'sshDst' | 'testSrc' | 'testDst'

/** A selector as DSL code, and whether it went through the escape hatch. */
export interface SelectorCode {
  readonly code: string
  readonly raw: boolean
}

const autogroupKeys: Readonly<Record<AutogroupName, string>> = {
  member: 'member',
  tagged: 'tagged',
  self: 'self',
  internet: 'internet',
  shared: 'shared',
  'danger-all': 'dangerAll',
  owner: 'owner',
  admin: 'admin',
  'it-admin': 'itAdmin',
  'network-admin': 'networkAdmin',
  'billing-admin': 'billingAdmin',
  auditor: 'auditor',
}

// the autogroups each position's type accepts (Source, Destination, SshSource, SshDestination in scope.ts)
const autogroupsAt: Readonly<Record<Position, ReadonlySet<string>>> = {
  src: new Set(['member', 'tagged', 'shared', 'danger-all', 'owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor']),
  dst: new Set(['member', 'tagged', 'self', 'internet', 'owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor']),
  sshSrc: new Set(['member', 'tagged']),
  sshDst: new Set(['self', 'tagged', 'member']),
  testSrc: new Set(),
  testDst: new Set(),
}

const kindsAt: Readonly<Record<Position, ReadonlySet<string>>> = {
  src: new Set(['tag', 'group', 'host', 'user', 'address', 'any']),
  dst: new Set(['tag', 'group', 'host', 'user', 'address', 'any']),
  sshSrc: new Set(['tag', 'group', 'user']),
  sshDst: new Set(['tag', 'user']),
  // a test runs as, and connects to, one identity: the compiler refuses `*` and CIDRs there
  testSrc: new Set(['tag', 'group', 'host', 'user', 'single-address']),
  testDst: new Set(['tag', 'group', 'host', 'user', 'single-address']),
}

/**
 * The names an imported policy declares in the DSL, and how its Tailscale selectors are written
 * as DSL code. A selector the DSL can name at that position becomes `p.tag.web`, `p.user('…')`,
 * `p.address('…')`; anything else becomes `p.raw('…')`, which compiles to the same string.
 */
export class DslNames {
  constructor(
    readonly tags: ReadonlySet<string>,
    readonly groups: ReadonlySet<string>,
    readonly hosts: ReadonlySet<string>,
  ) {}

  selector(text: string, position: Position): SelectorCode {
    const code = this.named(text, position)
    return code === undefined ? { code: `p.raw(${quote(text)})`, raw: true } : { code, raw: false }
  }

  private named(text: string, position: Position): string | undefined {
    const kinds = kindsAt[position]
    if (text === '*') return kinds.has('any') ? 'p.any' : undefined
    const colon = text.indexOf(':')
    const prefix = colon === -1 ? '' : text.slice(0, colon)
    const name = text.slice(colon + 1)
    if (prefix === 'tag') return kinds.has('tag') && this.tags.has(name) ? member('p.tag', name) : undefined
    if (prefix === 'group') return kinds.has('group') && this.groups.has(name) ? member('p.group', name) : undefined
    if (prefix === 'autogroup') {
      const key = autogroupKeys[name as AutogroupName]
      return key !== undefined && Object.hasOwn(autogroupKeys, name) && autogroupsAt[position].has(name) ? `p.autogroup.${key}` : undefined
    }
    if (this.hosts.has(text)) return kinds.has('host') ? member('p.host', text) : undefined
    if (colon === -1 && /^[^\s@]+@[^\s@]+$/.test(text)) return kinds.has('user') ? `p.user(${quote(text)})` : undefined
    if (isAddress(text)) {
      const single = !text.includes('/')
      return kinds.has('address') || (single && kinds.has('single-address')) ? `p.address(${quote(text)})` : undefined
    }
    return undefined
  }
}

/**
 * The DSL port for one Tailscale port text (`tcp:443`, `80-90`, `icmp:*`, `*`), made by the DSL's
 * own factories so whatever they refuse is refused here too; undefined when it cannot be written.
 */
export function portOf(text: string): Port | undefined {
  try {
    return Port.parse(text)
  } catch {
    return undefined
  }
}

/** `Port.tcp(443)`, `Port.number(80, 90)`, `Port.icmp()`, `Port.any()`: the factory call that makes `port`. */
export function portCode(port: Port): string {
  const proto = port.protocol
  if (proto === undefined) return port.all ? 'Port.any()' : port.first === port.last ? `Port.number(${port.first})` : `Port.number(${port.first}, ${port.last})`
  if (port.all) return proto === 'icmp' ? 'Port.icmp()' : `Port.all(${quote(proto)})`
  if ((proto === 'tcp' || proto === 'udp') && port.first === port.last) return `Port.${proto}(${port.first})`
  return `Port.range(${quote(proto)}, ${port.first}, ${port.last})`
}
