/**
 * The shape of Tailscale's policy file as a JSON Schema (draft-07), one definition per object kind,
 * field names as Tailscale spells them (kb/1337/policy-syntax; the Go API client's `ACL` struct).
 *
 * It only says what Go's JSON decoder would say: which keys exist and which JSON types they take.
 * Meaning (selectors, ports, names) is checked by `validate-policy.ts`. Objects close with
 * `additionalProperties: false` because Tailscale answers unknown keys with `json: unknown field "x"`;
 * objects Tailscale passes through (app capability parameters, posture attributes) stay open.
 *
 * After editing, regenerate the precompiled validator: `npm run generate:policy-schema`.
 */
const strings = { type: 'array', items: { type: 'string' } } as const
const stringLists = { type: 'object', additionalProperties: strings } as const
const appCapabilities = { type: 'object', additionalProperties: { type: 'array' } } as const

export const policySchema = {
  $id: 'https://tailor.dev/schema/tailnet-policy.json',
  type: 'object',
  properties: {
    acls: { type: 'array', items: { $ref: '#/definitions/acl' } },
    grants: { type: 'array', items: { $ref: '#/definitions/grant' } },
    ssh: { type: 'array', items: { $ref: '#/definitions/ssh' } },
    groups: stringLists,
    tagOwners: stringLists,
    hosts: { type: 'object', additionalProperties: { type: 'string' } },
    ipsets: stringLists,
    postures: stringLists,
    autoApprovers: { $ref: '#/definitions/autoApprovers' },
    nodeAttrs: { type: 'array', items: { $ref: '#/definitions/nodeAttr' } },
    tests: { type: 'array', items: { $ref: '#/definitions/test' } },
    sshTests: { type: 'array', items: { $ref: '#/definitions/sshTest' } },
    defaultSrcPosture: strings,
    derpMap: { $ref: '#/definitions/derpMap' },
    disableIPv4: { type: 'boolean' },
    randomizeClientPort: { type: 'boolean' },
    OneCGNATRoute: { type: 'string' },
    attrConfig: { type: 'object', additionalProperties: { $ref: '#/definitions/attrConfig' } },
  },
  additionalProperties: false,
  definitions: {
    acl: {
      type: 'object',
      properties: {
        action: { type: 'string' },
        src: strings,
        dst: strings,
        users: strings,
        ports: strings,
        proto: { type: 'string' },
        srcPosture: strings,
      },
      additionalProperties: false,
    },
    grant: {
      type: 'object',
      properties: { src: strings, dst: strings, ip: strings, app: appCapabilities, via: strings, srcPosture: strings },
      additionalProperties: false,
    },
    ssh: {
      type: 'object',
      properties: {
        action: { type: 'string' },
        src: strings,
        dst: strings,
        users: strings,
        checkPeriod: { type: 'string' },
        acceptEnv: strings,
        srcPosture: strings,
        recorder: strings,
        enforceRecorder: { type: 'boolean' },
      },
      additionalProperties: false,
    },
    autoApprovers: {
      type: 'object',
      properties: { routes: stringLists, exitNode: strings, services: stringLists },
      additionalProperties: false,
    },
    nodeAttr: {
      type: 'object',
      properties: { target: strings, attr: strings, app: appCapabilities, ipPool: strings },
      additionalProperties: false,
    },
    test: {
      type: 'object',
      properties: {
        src: { type: 'string' },
        user: { type: 'string' },
        proto: { type: 'string' },
        srcPostureAttrs: { type: 'object' },
        accept: strings,
        allow: strings,
        deny: strings,
      },
      additionalProperties: false,
    },
    sshTest: {
      type: 'object',
      properties: {
        src: { type: 'string' },
        dst: strings,
        accept: strings,
        check: strings,
        deny: strings,
        srcPostureAttrs: { type: 'object' },
      },
      additionalProperties: false,
    },
    // tailcfg.DERPMap: Go field names, matched case-insensitively like every key; kept open because
    // tailcfg grows fields that Tailscale's decoder knows before this schema does
    derpMap: {
      type: 'object',
      properties: {
        Regions: { type: 'object', additionalProperties: { $ref: '#/definitions/derpRegion' } },
        OmitDefaultRegions: { type: 'boolean' },
        HomeParams: { type: 'object' },
      },
    },
    derpRegion: {
      type: 'object',
      properties: {
        RegionID: { type: 'integer' },
        RegionCode: { type: 'string' },
        RegionName: { type: 'string' },
        Latitude: { type: 'number' },
        Longitude: { type: 'number' },
        Avoid: { type: 'boolean' },
        NoMeasureNoHome: { type: 'boolean' },
        Nodes: { type: 'array', items: { $ref: '#/definitions/derpNode' } },
      },
    },
    derpNode: {
      type: 'object',
      properties: {
        Name: { type: 'string' },
        RegionID: { type: 'integer' },
        HostName: { type: 'string' },
        CertName: { type: 'string' },
        IPv4: { type: 'string' },
        IPv6: { type: 'string' },
        STUNPort: { type: 'integer' },
        STUNOnly: { type: 'boolean' },
        DERPPort: { type: 'integer' },
        InsecureForTests: { type: 'boolean' },
        STUNTestIP: { type: 'string' },
        CanPort80: { type: 'boolean' },
      },
    },
    attrConfig: {
      type: 'object',
      properties: { type: { type: 'string' }, allowSetByNode: { type: 'boolean' }, broadcastToPeers: strings },
    },
  },
} as const

/** The part of JSON Schema this project writes, enough to walk the schema alongside a value. */
export interface SchemaNode {
  readonly type?: string
  readonly properties?: Readonly<Record<string, SchemaNode>>
  readonly additionalProperties?: SchemaNode | boolean
  readonly items?: SchemaNode
  readonly $ref?: string
}

export function resolveSchema(node: SchemaNode): SchemaNode {
  if (node.$ref === undefined) return node
  const name = node.$ref.replace('#/definitions/', '')
  const definitions: Readonly<Record<string, SchemaNode>> = policySchema.definitions
  return definitions[name] ?? {}
}
