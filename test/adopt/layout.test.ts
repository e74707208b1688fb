import { expect, test } from 'vitest'
import { call, chain, layout, list } from '../../src/adopt/layout.js'

test('a call that fits stays on one line', () => {
  expect(layout(chain(call('p.allow', ['p.tag.web']), call('.to', ['p.service.api'])))).toBe('p.allow(p.tag.web).to(p.service.api)')
})

test('a chain too long for the width puts one call per line; a list too long, one item per line', () => {
  // GIVEN
  const long = Array.from({ length: 12 }, (_, i) => `p.tag.team${i}`)
  // WHEN
  const text = layout(chain(call('p.allow', long), call('.to', [list('[', ['p.tag.db'], ']'), 'Port.tcp(5432)'])), 2)
  // THEN
  expect(text).toBe(`p.allow(
    ${long.join(',\n    ')},
  )
    .to([p.tag.db], Port.tcp(5432))`)
})
