import type { TailnetPolicy } from '../compile/tailnet-policy.js'
import { entriesOf, objectsOf, strings } from '../analyze/flows.js'
import { parseAlias, parseHostPort, type Alias } from '../analyze/parse/index.js'
import type { JsonPath } from '../model/diagnostic.js'

/** One place a policy names a tag, group, host or other selector. */
export interface Reference {
  readonly alias: Alias
  readonly path: JsonPath
  /** `owner` for names in `tagOwners` values, which own rather than use */
  readonly role: 'rule' | 'owner' | 'test'
}

/** Every selector the policy names outside its own definitions, in document order. */
export function referencesOf(policy: TailnetPolicy): Reference[] {
  const found: Reference[] = []
  const add = (text: unknown, path: JsonPath, role: Reference['role'] = 'rule'): void => {
    if (typeof text !== 'string') return
    const alias = parseAlias(text)
    if (!('error' in alias)) found.push({ alias, path, role })
  }
  const addHostPort = (text: string, path: JsonPath, role: Reference['role']): void => {
    const hostPort = parseHostPort(text)
    if (!('error' in hostPort)) found.push({ alias: hostPort.alias, path, role })
  }
  const each = (values: unknown, path: JsonPath, role: Reference['role'] = 'rule'): void => strings(values).forEach((v, i) => add(v, [...path, i], role))

  for (const [acl, i] of objectsOf(policy.acls)) {
    const srcKey = acl.src !== undefined ? 'src' : 'users'
    each(acl[srcKey], ['acls', i, srcKey])
    const dstKey = acl.dst !== undefined ? 'dst' : 'ports'
    strings(acl[dstKey]).forEach((d, j) => addHostPort(d, ['acls', i, dstKey, j], 'rule'))
  }
  for (const [grant, i] of objectsOf(policy.grants)) {
    each(grant.src, ['grants', i, 'src'])
    each(grant.dst, ['grants', i, 'dst'])
    each(grant.via, ['grants', i, 'via'])
  }
  for (const [rule, i] of objectsOf(policy.ssh)) {
    each(rule.src, ['ssh', i, 'src'])
    each(rule.dst, ['ssh', i, 'dst'])
  }
  for (const [attr, i] of objectsOf(policy.nodeAttrs)) each(attr.target, ['nodeAttrs', i, 'target'])
  const approvers = new Map(entriesOf(policy.autoApprovers))
  for (const [route, list] of entriesOf(approvers.get('routes'))) each(list, ['autoApprovers', 'routes', route])
  each(approvers.get('exitNode'), ['autoApprovers', 'exitNode'])
  for (const [service, list] of entriesOf(approvers.get('services'))) each(list, ['autoApprovers', 'services', service])
  for (const [tag, owners] of entriesOf(policy.tagOwners)) each(owners, ['tagOwners', tag], 'owner')
  for (const [name, entries] of entriesOf(policy.ipsets)) {
    strings(entries).forEach((e, j) => add(e.trim().replace(/^(add|remove)\s+/, ''), ['ipsets', name, j]))
  }
  for (const [test, i] of objectsOf(policy.tests)) {
    add(test.src ?? test.user, ['tests', i, test.src !== undefined ? 'src' : 'user'], 'test')
    for (const key of ['accept', 'allow', 'deny'] as const) strings(test[key]).forEach((d, j) => addHostPort(d, ['tests', i, key, j], 'test'))
  }
  for (const [test, i] of objectsOf(policy.sshTests)) {
    add(test.src, ['sshTests', i, 'src'], 'test')
    each(test.dst, ['sshTests', i, 'dst'], 'test')
  }
  return found
}
