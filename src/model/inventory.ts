/**
 * What only the tailnet knows: its name, its users and its devices. The shape is the one the
 * conformance captures use, so a capture's `{tailnet, users, nodes}` is an inventory as it is.
 */
export interface Inventory {
  /** the tailnet's name, e.g. `example.com` or `alice@example.com`; its domain decides `user:*@domain` */
  readonly tailnet: string
  readonly users: readonly InventoryUser[]
  readonly nodes: readonly InventoryNode[]
}

export interface InventoryUser {
  readonly id?: number
  /** the name a node's `user` field refers to */
  readonly name: string
  /** the login policies name users by */
  readonly email: string
  /**
   * tailnet role, for role autogroups (`autogroup:admin`, ...); `member` when absent; `shared` for a
   * user outside the tailnet who uses a device shared with them (`autogroup:shared`, not a member)
   */
  readonly role?: string
}

export interface InventoryNode {
  readonly name: string
  /** owner's `name` (see {@link InventoryUser}); absent on tagged devices */
  readonly user?: string
  readonly tags: readonly string[]
  readonly ipv4?: string
  readonly ipv6?: string
  /** routes the device advertises (subnets, `0.0.0.0/0` and `::/0` for an exit node) */
  readonly routable_ips?: readonly string[]
  /** advertised routes the tailnet approved */
  readonly approved_routes?: readonly string[]
}
