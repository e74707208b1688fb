/**
 * The hostile inputs too big to commit (50 MB files, nesting 100k deep), described here once and built on
 * demand: by the CLI hardening test, which proves each is rejected inside a 512 MB heap, and by
 * `npm run bench:corpus`, which reports their time and memory beside the committed corpus.
 */
const MB = 1024 * 1024

export interface HugeInput {
  readonly what: string
  readonly file: string
  readonly text: () => string
}

export const hugeInputs: readonly HugeInput[] = [
  { what: 'arrays nested 100k deep', file: 'deep.hujson', text: () => `{"acls": [{"action": "accept", "src": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "dst": ["*:*"]}]}` },
  { what: 'objects nested 100k deep', file: 'deep-objects.hujson', text: () => `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}` },
  { what: '50 MB of garbage after a valid policy', file: 'garbage.hujson', text: () => `{"acls": []}\n${'@#$% '.repeat(10 * MB)}` },
  {
    what: 'a 50 MB host name beside an undefined tag',
    file: 'long-name.hujson',
    text: () => `{"hosts": {"${'n'.repeat(50 * MB)}": "10.0.0.1"}, "acls": [{"action": "accept", "src": ["tag:x${'y'.repeat(1000)}"], "dst": ["*:*"]}]}`,
  },
  { what: 'a 50 MB comment that never closes', file: 'comment.hujson', text: () => `{"acls": []} /* ${'x'.repeat(50 * MB)}` },
]
