import { describe, expect, test } from 'vitest'
import { lineColumn, lineStarts } from '../../src/model/text-position.js'

describe('lineColumn |', () => {
  const text = '{\n  "acls": [],\n\n  "x": 1\n}'
  const starts = lineStarts(text)

  test.each([
    [0, 1, 1],
    [1, 1, 2],
    [2, 2, 1],
    [4, 2, 3],
    [16, 3, 1],
    [19, 4, 3],
    [text.length, 5, 2],
  ])('offset %i is line %i, column %i', (offset, line, column) => {
    expect(lineColumn(starts, offset)).toEqual({ line, column })
  })

  test('a text without newlines is one line', () => {
    expect(lineColumn(lineStarts('abc'), 2)).toEqual({ line: 1, column: 3 })
  })
})
