import { fail, type ParseFailure } from './failure.js'

/** An inclusive port interval; `*` is `{ first: 0, last: 65535 }`. */
export interface PortRange {
  readonly first: number
  readonly last: number
}

export const allPorts: PortRange = { first: 0, last: 65535 }

/**
 * A port list as `dst` and grant `ip` write it: `*`, `22`, `80,443`, `8000-8100`, or a comma list of
 * those. Errors carry Tailscale's wording: `port range "ssh": invalid first integer`.
 */
export function parsePorts(text: string): PortRange[] | ParseFailure {
  if (text === '*') return [allPorts]
  const ranges: PortRange[] = []
  for (const part of text.split(',')) {
    const range = parsePortRange(part)
    if ('error' in range) return fail(`port range ${JSON.stringify(part)}: ${range.error}`)
    ranges.push(range)
  }
  return ranges
}

function parsePortRange(text: string): PortRange | ParseFailure {
  if (text === '*') return allPorts
  const dash = text.indexOf('-')
  const firstText = dash < 0 ? text : text.slice(0, dash)
  const first = portNumber(firstText)
  if (first === undefined) return fail('invalid first integer')
  if (dash < 0) {
    if (first === 0) return fail("first port must be >0, or use '*' for wildcard")
    return { first, last: first }
  }
  const last = portNumber(text.slice(dash + 1))
  if (last === undefined) return fail('invalid last integer')
  if (first > last) return fail('invalid port range: first port is greater than last port')
  return { first, last }
}

// like Go's strconv.ParseUint(s, 10, 16): digits only, at most 65535
function portNumber(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined
  const n = Number(text)
  return n <= 65535 ? n : undefined
}
