import { parseIpPrefix, type IpPrefix } from '../parse/ip.js'
import { checkAppCapabilities } from './app-capabilities.js'
import type { ValidationContext } from './context.js'
import { checkSelector } from './selector.js'

const cgnat = parseIpPrefix('100.64.0.0/10')!
// a pool may span a reserved block (Tailscale skips those addresses) but not sit inside one
const reserved: readonly IpPrefix[] = ['100.100.100.0/24', '100.115.92.0/23'].map((text) => parseIpPrefix(text)!)

/** `nodeAttrs`: targets, app capabilities, and custom IP pools inside the CGNAT range. */
export function checkNodeAttrs(ctx: ValidationContext): void {
  ctx.policy.nodeAttrs?.forEach((entry, index) => {
    const path = ['nodeAttrs', index]
    entry.target?.forEach((target, i) => checkSelector(target, { position: 'node-attr', path: [...path, 'target', i], prefix: '' }, ctx))
    if (entry.app) checkAppCapabilities(entry.app, [...path, 'app'], 'node', ctx)
    entry.ipPool?.forEach((text, i) => {
      const where = [...path, 'ipPool', i]
      const pool = parseIpPrefix(text.trim())
      if (!pool || !text.includes('/')) {
        ctx.error('invalid-ip-pool', `IPPool(${text}): invalid prefix`, where, 'an IP pool is a CIDR such as `100.80.0.0/16`')
      } else if (reserved.some((r) => r.first <= pool.first && pool.last <= r.last)) {
        ctx.error('invalid-ip-pool', `IPPool(${text}): network within reserved range`, where, '`100.100.100.0/24` and `100.115.92.0/23` are reserved by Tailscale')
      } else if (pool.family !== 4 || pool.first < cgnat.first || pool.last > cgnat.last) {
        // not seen rejected: a warning until a capture shows Tailscale's answer
        ctx.warning('invalid-ip-pool', `IPPool(${text}): network not within 100.64.0.0/10`, where, 'Tailscale addresses come from `100.64.0.0/10`')
      }
    })
  })
}
