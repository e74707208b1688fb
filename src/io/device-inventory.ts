import type { Inventory, InventoryNode, InventoryUser } from '../model/inventory.js'
import type { ApiDevice } from './tailscale-api.js'

/**
 * The tailnet's devices as the inventory `tailor netmap` and `check --nodes` read, so reachability can be asked
 * about real machines. A device is named by the first label of its MagicDNS name (unique in a tailnet); a tagged
 * device has no owner, as in Tailscale's own model; the owner's login is both the user's name and email.
 */
export function inventoryFromDevices(tailnet: string, devices: readonly ApiDevice[]): Inventory {
  const nodes: InventoryNode[] = devices.map((device) => {
    const tags = [...(device.tags ?? [])].sort()
    const ipv4 = device.addresses?.find((a) => !a.includes(':'))
    const ipv6 = device.addresses?.find((a) => a.includes(':'))
    const advertised = [...(device.advertisedRoutes ?? [])].sort()
    const approved = [...(device.enabledRoutes ?? [])].sort()
    return {
      name: (device.name.split('.')[0] ?? device.name) || (device.hostname ?? ''),
      ...(tags.length === 0 && device.user ? { user: device.user } : {}),
      tags,
      ...(ipv4 ? { ipv4 } : {}),
      ...(ipv6 ? { ipv6 } : {}),
      ...(advertised.length > 0 ? { routable_ips: advertised } : {}),
      ...(approved.length > 0 ? { approved_routes: approved } : {}),
    }
  })
  const logins = [...new Set(nodes.flatMap((n) => (n.user ? [n.user] : [])))].sort()
  const users: InventoryUser[] = logins.map((login) => ({ name: login, email: login }))
  return { tailnet: tailnet === '-' ? commonDomain(logins) : tailnet, users, nodes: nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }
}

// `-` names the credential's tailnet without saying which; its users' most common domain decides `user:*@domain`
function commonDomain(logins: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const login of logins) {
    const domain = login.split('@')[1]
    if (domain) counts.set(domain, (counts.get(domain) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '-'
}
