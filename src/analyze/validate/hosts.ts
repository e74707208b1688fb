import { parseIpPrefix } from '../parse/ip.js'
import { quote, type ValidationContext } from './context.js'

/** `hosts`: a name (no `@`, no `:`) → one IP address or CIDR. */
export function checkHosts(ctx: ValidationContext): void {
  for (const [name, address] of Object.entries(ctx.policy.hosts ?? {})) {
    const path = ['hosts', name]
    if (name.trim() === '' || /[@:\s]/.test(name)) {
      ctx.error('invalid-host-name', `invalid hostname: ${quote(name)}`, path, 'a hosts name is a plain word such as `db-primary`: no `@`, `:` or spaces')
    }
    if (!parseIpPrefix(address.trim())) {
      ctx.error('invalid-host-address', `hostname contains invalid IP address: hostname ${quote(name)} address ${quote(address)}`, path, 'a hosts entry is one IP address or CIDR, e.g. `100.64.0.10` or `10.0.0.0/16`')
    }
  }
}
