import { parseIpPrefix } from '../parse/ip.js'
import { quote, type ValidationContext } from './context.js'
import { checkSelector, undefinedHint } from './selector.js'

/** `autoApprovers`: routes (CIDR → approvers), `exitNode` approvers, `services` (`svc:` → approvers). */
export function checkAutoApprovers(ctx: ValidationContext): void {
  const approvers = ctx.policy.autoApprovers
  if (!approvers) return
  const base = ['autoApprovers']
  for (const [route, owners] of Object.entries(approvers.routes ?? {})) {
    const path = [...base, 'routes', route]
    if (!route.includes('/') || !parseIpPrefix(route.trim())) {
      ctx.error('invalid-route', `autoApprovers.routes: invalid prefix ${quote(route)}`, path, 'a route is a CIDR such as `10.0.0.0/16`')
    }
    owners.forEach((owner, i) => checkSelector(owner, { position: 'auto-approver', path: [...path, i], prefix: '' }, ctx))
  }
  approvers.exitNode?.forEach((owner, i) => checkSelector(owner, { position: 'auto-approver', path: [...base, 'exitNode', i], prefix: '' }, ctx))
  for (const [service, owners] of Object.entries(approvers.services ?? {})) {
    const path = [...base, 'services', service]
    // a key names one service (`svc:web`) or every service carrying a tag (`tag:k8s`)
    if (!/^(svc|tag):./.test(service)) {
      ctx.error('invalid-service', `autoApprovers.services: invalid service ${quote(service)}`, path, 'a key is a service `svc:<name>` or a service tag `tag:<name>`')
    } else if (service.startsWith('tag:') && !ctx.tags.has(service)) {
      ctx.error('unknown-tag', `tag not found: ${quote(service)}`, path, undefinedHint(service, ctx.tags, 'define it in `tagOwners`'))
    }
    owners.forEach((owner, i) => checkSelector(owner, { position: 'auto-approver', path: [...path, i], prefix: '' }, ctx))
  }
}
