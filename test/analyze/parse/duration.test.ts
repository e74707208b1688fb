import { describe, expect, test } from 'vitest'
import { formatGoDuration, parseGoDuration } from '../../../src/analyze/parse/duration.js'

describe('Go durations', () => {
  test.each([
    ['12h', '12h0m0s'],
    ['-1m', '-1m0s'],
    ['168h0m1s', '168h0m1s'],
    ['200h', '200h0m0s'],
    ['30s', '30s'],
    ['1.5s', '1.5s'],
    ['1h30m', '1h30m0s'],
    ['300ms', '300ms'],
    ['0', '0s'],
  ])('GIVEN %j WHEN parsed and printed THEN Go prints %j', (text, printed) => {
    // WHEN
    const duration = parseGoDuration(text)
    // THEN
    expect(typeof duration === 'bigint' ? formatGoDuration(duration) : duration).toBe(printed)
  })

  test.each([
    ['abc', 'time: invalid duration "abc"'],
    ['', 'time: invalid duration ""'],
    ['10', 'time: missing unit in duration "10"'],
    ['10d', 'time: unknown unit "d" in duration "10d"'],
  ])('GIVEN %j WHEN parsed THEN it fails with %j', (text, error) => {
    expect(parseGoDuration(text)).toEqual({ error })
  })
})
