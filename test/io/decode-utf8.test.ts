import { describe, expect, test } from 'vitest'
import { decodeUtf8 } from '../../src/io/decode-utf8.js'

const bytes = (...parts: (string | number[])[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))

describe('decodeUtf8 |', () => {
  test('UTF-8 text, including multi-byte names, decodes as it is', () => {
    expect(decodeUtf8(bytes('{"groups": {"group:café": []}} // ✓ 𝄞'), 'p.hujson')).toEqual({ text: '{"groups": {"group:café": []}} // ✓ 𝄞' })
  })

  test.each([
    ['a Latin-1 byte inside a name', bytes('{\n  "group:caf', [0xe9], '": []\n}'), 2, 13, '0xe9'],
    ['an overlong encoding of `/`', bytes('{}', [0xc0, 0xaf]), 1, 3, '0xc0'],
    ['an encoded UTF-16 surrogate', bytes('{"n', [0xed, 0xa0, 0x80], '": 1}'), 1, 4, '0xed'],
    ['a sequence cut off by the end of the file', bytes('{} ', [0xe2, 0x82]), 1, 4, '0xe2'],
    ['a lone continuation byte', bytes('\n\n  ', [0x80]), 3, 3, '0x80'],
  ])('%s is an `invalid-utf8` error at its line and column', (_what, input, line, column, byte) => {
    // WHEN
    const decoded = decodeUtf8(input, 'p.hujson')
    // THEN
    expect(decoded).toEqual({ diagnostic: expect.objectContaining({ code: 'invalid-utf8', severity: 'error', at: { file: 'p.hujson', line, column } }) })
    expect('diagnostic' in decoded && decoded.diagnostic.message).toContain(`byte ${byte}`)
  })

  test('a UTF-16 file gets a hint that names UTF-16', () => {
    const decoded = decodeUtf8(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le')]), 'p.hujson')
    expect('diagnostic' in decoded && decoded.diagnostic.hint).toMatch(/UTF-16/)
  })
})
