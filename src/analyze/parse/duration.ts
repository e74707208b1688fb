import { fail, type ParseFailure } from './failure.js'

const unitNanoseconds: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
}

/**
 * A duration as Go's `time.ParseDuration` reads it (`20h`, `1h30m`, `-1m`, `1.5s`), in nanoseconds.
 * SSH `checkPeriod` is decoded this way, and its errors read `time: invalid duration "abc"`.
 */
export function parseGoDuration(text: string): bigint | ParseFailure {
  const invalid = fail(`time: invalid duration ${JSON.stringify(text)}`)
  let rest = text
  let negative = false
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-')
    rest = rest.slice(1)
  }
  if (rest === '0') return 0n
  if (rest === '') return invalid
  let total = 0n
  while (rest !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest)
    const whole = number?.[1] ?? ''
    const fraction = number?.[2] ?? ''
    if (whole === '' && fraction === '') return invalid
    rest = rest.slice(number?.[0].length ?? 0)
    const unit = /^[^0-9.]+/.exec(rest)?.[0]
    if (unit === undefined) return fail(`time: missing unit in duration ${JSON.stringify(text)}`)
    const scale = unitNanoseconds[unit]
    if (scale === undefined) return fail(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`)
    rest = rest.slice(unit.length)
    total += BigInt(whole === '' ? '0' : whole) * scale
    if (fraction !== '') total += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length)
  }
  return negative ? -total : total
}

/** Go's `Duration.String()`: `1m0s`, `168h0m1s`, `1.5s`, `300ms`, `0s`. */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s'
  const sign = nanoseconds < 0n ? '-' : ''
  const d = nanoseconds < 0n ? -nanoseconds : nanoseconds
  if (d < 1_000_000_000n) {
    if (d < 1_000n) return `${sign}${d}ns`
    if (d < 1_000_000n) return `${sign}${decimal(d, 1_000n)}µs`
    return `${sign}${decimal(d, 1_000_000n)}ms`
  }
  const hours = d / 3_600_000_000_000n
  const minutes = (d / 60_000_000_000n) % 60n
  const seconds = decimal(d % 60_000_000_000n, 1_000_000_000n)
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`
  return `${sign}${seconds}s`
}

function decimal(value: bigint, unit: bigint): string {
  const whole = value / unit
  const fraction = value % unit
  if (fraction === 0n) return String(whole)
  const digits = String(unit).length - 1
  return `${whole}.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`
}
