import { isUtf8 } from 'node:buffer'
import type { Diagnostic } from '../model/diagnostic.js'

/**
 * A policy file's bytes as text, or a located `invalid-utf8` diagnostic. Decoding with replacement
 * characters would turn a corrupt `group:caf\xe9` into a different, valid-looking name; Tailscale's
 * reader rejects invalid UTF-8 in comments, and a policy gate should not guess what bytes meant.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): { readonly text: string } | { readonly diagnostic: Diagnostic } {
  if (isUtf8(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') }
  const offset = firstInvalidByte(bytes)
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++
      lineStart = i + 1
    }
  }
  const utf16 = bytes[0] === 0xff || bytes[0] === 0xfe
  return {
    diagnostic: {
      code: 'invalid-utf8',
      severity: 'error',
      message: `the file is not UTF-8 text: byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at offset ${offset} is not valid UTF-8`,
      at: { file, line, column: offset - lineStart + 1 },
      hint: utf16 ? 'the file looks like UTF-16; save it as UTF-8' : 'save the file as UTF-8 (without a byte order mark)',
    },
  }
}

// the first byte where a well-formed sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF) breaks
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let length: number
    let low = 0x80
    let high = 0xbf
    if (b >= 0xc2 && b <= 0xdf) length = 2
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3
      if (b === 0xe0) low = 0xa0
      if (b === 0xed) high = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4
      if (b === 0xf0) low = 0x90
      if (b === 0xf4) high = 0x8f
    } else return i
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i
    }
    i += length
  }
  return bytes.length
}
