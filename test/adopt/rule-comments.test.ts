import { expect, test } from 'vitest'
import { ruleComments } from '../../src/adopt/rule-comments.js'

test('a comment sits on the element it precedes, or the one whose line it trails', () => {
  // GIVEN
  const text = `{
  // every rule, a header nobody owns
  "acls": [
    // web to api
    {"action": "accept", "src": ["tag:web"], "dst": ["tag:api:80"]}, // and only port 80
    {
      "action": "accept", /* inside */
      "src": ["tag:api"], "dst": ["tag:db:5432"],
    },
  ],
  "groups": {
    /* the on-call
     * rotation */
    "group:sre": ["carol@example.com"],
  },
}`
  // WHEN
  const comments = ruleComments(text)
  // THEN
  expect(Object.fromEntries(comments)).toStrictEqual({
    '["acls",0]': ['web to api', 'and only port 80'],
    '["acls",1]': ['inside'],
    '["groups","group:sre"]': ['the on-call', 'rotation'],
  })
})

test('a file without comments has none to keep', () => {
  expect(ruleComments('{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}').size).toBe(0)
})
