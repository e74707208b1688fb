import type { JsonPath } from '../../model/diagnostic.js'
import type { ValidationContext } from './context.js'

/**
 * `tailscale.com` capabilities a policy may grant itself (KB examples and captures; `relay-target` and
 * `ingress` were rejected). Tailscale reserves the rest of the domain, and `tailscale.io`.
 */
const grantableTailscaleCapabilities: ReadonlySet<string> = new Set([
  'tailscale.com/cap/drive',
  'tailscale.com/cap/relay',
  'tailscale.com/cap/webui',
  'tailscale.com/cap/kubernetes',
  'tailscale.com/cap/tsidp',
  'tailscale.com/cap/secrets',
  'tailscale.com/cap/golink',
  'tailscale.com/cap/tailsql',
])

/** nodeAttrs may also configure these node-level features. */
const nodeTailscaleCapabilities: ReadonlySet<string> = new Set([...grantableTailscaleCapabilities, 'tailscale.com/app-connectors'])

const domainName = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/

/** Capability names in an `app` map: `{domain}/{path}`, outside Tailscale's reserved domains. */
export function checkAppCapabilities(app: Readonly<Record<string, readonly unknown[]>>, path: JsonPath, where: 'grant' | 'node', ctx: ValidationContext): void {
  for (const [name, parameters] of Object.entries(app)) {
    const at = [...path, name]
    const slash = name.indexOf('/')
    const domain = slash < 0 ? '' : name.slice(0, slash)
    const rest = slash < 0 ? '' : name.slice(slash + 1)
    if (!domainName.test(domain) || rest === '' || /\s/.test(rest)) {
      ctx.error('invalid-capability', 'capability name must have the form {domain}/{path}', at, `\`${name}\` is not \`<domain>/<path>\`, e.g. \`example.com/cap/dashboard\` (no scheme, no spaces)`)
      continue
    }
    const lower = domain.toLowerCase()
    const allowed = where === 'grant' ? grantableTailscaleCapabilities : nodeTailscaleCapabilities
    if ((lower === 'tailscale.com' || lower === 'tailscale.io') && !allowed.has(name)) {
      ctx.error(
        'reserved-capability',
        `capability name must not be in the ${lower} domain`,
        at,
        `Tailscale reserves \`${lower}/\`; the capabilities a policy may grant there are ${[...grantableTailscaleCapabilities].map((c) => `\`${c}\``).join(', ')}`,
      )
    }
    parameters.forEach((parameter, index) => {
      // Tailscale only checks that parameters are JSON (kb/1538); applications expect objects
      if (typeof parameter !== 'object' || parameter === null || Array.isArray(parameter)) {
        ctx.warning('capability-parameters', `capability ${JSON.stringify(name)} parameters must be JSON objects`, [...at, index], 'write `[{}]` for a capability without parameters')
      }
    })
  }
}
