/** A string that did not parse, with the reason in Tailscale's words (`port range "ssh": invalid first integer`). */
export interface ParseFailure {
  readonly error: string
}

export function fail(error: string): ParseFailure {
  return { error }
}

export function isParseFailure(value: unknown): value is ParseFailure {
  return typeof value === 'object' && value !== null && 'error' in value && typeof (value as { error: unknown }).error === 'string'
}
