import type { DefinitionKind, PolicyChange, PolicyDiff, RuleRef } from './diff.js'
import { formatPath, labelEndpoint } from './flows.js'

/**
 * Renderers for a {@link PolicyDiff}: terminal text, a markdown PR comment (summary, table, mermaid
 * graph of the changed edges) and JSON. Pure: they return strings; the CLI prints them.
 */

/** One change as a table row: who gains or loses what. */
export interface ChangeRow {
  readonly direction: PolicyChange['direction']
  readonly who: string
  readonly what: string
  readonly access: string
  readonly base: string
  readonly head: string
}

const nouns: Record<PolicyChange['kind'], [string, string]> = {
  flow: ['flow', 'flows'],
  app: ['app capability', 'app capabilities'],
  ssh: ['ssh login', 'ssh logins'],
  group: ['group member', 'group members'],
  tagOwner: ['tag owner', 'tag owners'],
  host: ['host address', 'host addresses'],
  autoApprover: ['auto-approver', 'auto-approvers'],
  nodeAttr: ['node attribute', 'node attributes'],
  posture: ['posture condition', 'posture conditions'],
  ipset: ['ip set', 'ip sets'],
  test: ['test assertion', 'test assertions'],
  sshTest: ['ssh test assertion', 'ssh test assertions'],
  setting: ['setting', 'settings'],
  sshOption: ['ssh rule option', 'ssh rule options'],
}

function countPhrase(changes: readonly PolicyChange[]): string {
  const counts = new Map<string, [number, [string, string]]>()
  for (const change of changes) {
    const definition = change.kind === 'group' && (change.change === 'renamed' || change.item === '')
    const noun = definition ? groupDefinition : nouns[change.kind]
    const found = counts.get(noun[0])
    counts.set(noun[0], [(found?.[0] ?? 0) + 1, noun])
  }
  return [...counts.values()].map(([n, noun]) => `${n} ${noun[n === 1 ? 0 : 1]}`).join(', ')
}

const groupDefinition: [string, string] = ['group definition', 'group definitions']

/** `broadens access: 2 flows; narrows: 1 flow`, or `no change in access`. */
export function summarizeDiff(diff: PolicyDiff): string {
  const parts: string[] = []
  if (diff.broadened.length > 0) parts.push(`broadens access: ${countPhrase(diff.broadened)}`)
  if (diff.narrowed.length > 0) parts.push(`narrows: ${countPhrase(diff.narrowed)}`)
  if (parts.length === 0) parts.push('no change in access')
  if (diff.unchanged.length > 0) parts.push(`other changes: ${countPhrase(diff.unchanged)}`)
  return parts.join('; ')
}

/** How endpoints are shown: host aliases by the address they stand for ({@link hostNamesOf}). */
export interface LabelOptions {
  readonly hostNames?: Readonly<Record<string, readonly string[]>>
}

export function changeRow(change: PolicyChange, options: LabelOptions = {}): ChangeRow {
  const name = (key: string): string => labelEndpoint(key, options.hostNames ?? {})
  const refs = (list: readonly RuleRef[]): string => list.map(formatRef).join(', ')
  const one = (ref: RuleRef | undefined): string => (ref ? formatRef(ref) : '')
  switch (change.kind) {
    case 'flow': {
      const conditions = [...(change.posture.length > 0 ? [`posture ${change.posture.join('|')}`] : []), ...(change.via.length > 0 ? [`via ${change.via.join('|')}`] : [])]
      return { direction: change.direction, who: name(change.src), what: name(change.dst), access: [change.access, ...conditions].join(' '), base: refs(change.base), head: refs(change.head) }
    }
    case 'app':
      return { direction: change.direction, who: name(change.src), what: name(change.dst), access: `app ${change.capability} ${change.params}`, base: refs(change.base), head: refs(change.head) }
    case 'ssh':
      return { direction: change.direction, who: name(change.src), what: `${name(change.dst)} as ${change.user}`, access: `ssh ${change.before} → ${change.after}`, base: refs(change.base), head: refs(change.head) }
    default:
      return { direction: change.direction, ...definitionWords(change.kind, change.subject, change.item, change.change), base: one(change.base), head: one(change.head) }
  }
}

function definitionWords(kind: DefinitionKind, subject: string, item: string, change: 'added' | 'removed' | 'renamed'): { who: string; what: string; access: string } {
  const verb = change === 'added' ? 'added' : 'removed'
  switch (kind) {
    case 'group':
      if (change === 'renamed') return { who: subject, what: `renamed to ${item}`, access: 'same members' }
      if (item === '') return { who: subject, what: 'group definition', access: verb }
      return { who: item, what: `member of ${subject}`, access: verb }
    case 'tagOwner':
      return { who: item, what: `may apply ${subject}`, access: verb }
    case 'host':
      return { who: subject, what: `points at ${item}`, access: verb }
    case 'autoApprover':
      return { who: item, what: `auto-approves ${subject}`, access: verb }
    case 'nodeAttr':
      return { who: subject, what: `node attribute ${item}`, access: verb }
    case 'posture':
      return { who: subject, what: `requires ${item}`, access: verb }
    case 'ipset':
      return { who: subject, what: item, access: verb }
    case 'test':
      return { who: subject, what: `test ${item}`, access: verb }
    case 'sshTest':
      return { who: subject, what: `ssh test ${item}`, access: verb }
    case 'sshOption':
      return { who: subject, what: item, access: verb }
    case 'setting':
      return { who: subject, what: item, access: verb }
  }
}

// rows of one principal together, whatever kind of change they are (the sort is stable)
function byPrincipal(rows: readonly ChangeRow[]): ChangeRow[] {
  return [...rows].sort((a, b) => (a.who < b.who ? -1 : a.who > b.who ? 1 : 0))
}

export function formatRef(ref: RuleRef): string {
  return ref.at ? `${ref.at.file}:${ref.at.line}` : formatPath(ref.path)
}

export interface TextOptions extends LabelOptions {
  readonly color?: boolean
}

export function renderDiffText(diff: PolicyDiff, options: TextOptions = {}): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text)
  const lines: string[] = [paint('1', summarizeDiff(diff))]
  const section = (title: string, mark: string, code: string, changes: readonly PolicyChange[]): void => {
    if (changes.length === 0) return
    lines.push('', paint(code, title))
    let who: string | undefined
    for (const row of byPrincipal(changes.map((c) => changeRow(c, options)))) {
      if (row.who !== who) lines.push(`  ${paint(code, mark)} ${row.who}`)
      who = row.who
      const rules = [row.base && `base ${row.base}`, row.head && `head ${row.head}`].filter((r) => r !== '').join('; ')
      lines.push(`      → ${row.what}  ${row.access}${rules === '' ? '' : paint('2', `  (${rules})`)}`)
    }
  }
  section('broadened (access added)', '+', '33', diff.broadened)
  section('narrowed (access removed)', '-', '32', diff.narrowed)
  section('no effect on access', '~', '2', diff.unchanged)
  return `${lines.join('\n')}\n`
}

export function renderDiffMarkdown(diff: PolicyDiff, options: LabelOptions = {}): string {
  const lines = [`### tailor diff: ${summarizeDiff(diff)}`, '']
  const rows = [diff.broadened, diff.narrowed, diff.unchanged].flatMap((changes) => byPrincipal(changes.map((c) => changeRow(c, options))))
  if (rows.length === 0) return `${lines.join('\n')}\n`
  lines.push('| change | who | what | access | base rule | head rule |', '| --- | --- | --- | --- | --- | --- |')
  const label: Record<PolicyChange['direction'], string> = { broadened: '**broadened**', narrowed: 'narrowed', unchanged: 'no effect' }
  for (const row of rows.slice(0, maxRows)) lines.push(`| ${[label[row.direction], code(row.who), code(row.what), code(row.access), row.base, row.head].map(cell).join(' | ')} |`)
  // a PR comment holds 65,536 characters; the rest is one `tailor diff` away
  if (rows.length > maxRows) lines.push('', `… and ${rows.length - maxRows} more changes: run \`tailor diff\` to see them all.`)
  const graph = mermaidGraph([...diff.broadened, ...diff.narrowed], options)
  if (graph !== '') lines.push('', graph)
  return `${lines.join('\n')}\n`
}

const maxRows = 200

function code(text: string): string {
  return text === '' ? '' : `\`${text.replaceAll('`', "'")}\``
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

const maxEdges = 60

/** The changed edges: solid for broadened, dotted for narrowed. */
export function mermaidGraph(changes: readonly PolicyChange[], options: LabelOptions = {}): string {
  const name = (key: string): string => labelEndpoint(key, options.hostNames ?? {})
  const edges = changes.flatMap((c) => {
    if (c.kind === 'flow') return [{ from: name(c.src), to: name(c.dst), label: c.access, broadened: c.direction === 'broadened' }]
    if (c.kind === 'ssh') return [{ from: name(c.src), to: name(c.dst), label: `ssh ${c.user}: ${c.after}`, broadened: c.direction === 'broadened' }]
    if (c.kind === 'app') return [{ from: name(c.src), to: name(c.dst), label: c.capability, broadened: c.direction === 'broadened' }]
    return []
  })
  if (edges.length === 0) return ''
  const ids = new Map<string, string>()
  const id = (name: string): string => {
    let found = ids.get(name)
    if (!found) {
      found = `n${ids.size}`
      ids.set(name, found)
    }
    return found
  }
  const escape = (text: string): string => text.replaceAll('"', '#quot;').replaceAll('|', '#124;')
  const body = edges.slice(0, maxEdges).map((e) => `  ${id(e.from)} ${e.broadened ? '==>' : '-.->'}|"${e.broadened ? '+' : '−'} ${escape(e.label)}"| ${id(e.to)}`)
  const nodes = [...ids].map(([name, nodeId]) => `  ${nodeId}["${escape(name)}"]`)
  const more = edges.length > maxEdges ? [`  more["… ${edges.length - maxEdges} more changes in the table"]`] : []
  return ['```mermaid', 'flowchart LR', ...nodes, ...more, ...body, '```'].join('\n')
}

/** Stable JSON: `schema` names the version; fields are those of {@link PolicyDiff}'s records. */
export function renderDiffJson(diff: PolicyDiff): string {
  return `${JSON.stringify(
    {
      schema: 'tailor/diff@1',
      summary: { text: summarizeDiff(diff), broadened: diff.broadened.length, narrowed: diff.narrowed.length, unchanged: diff.unchanged.length },
      broadened: diff.broadened,
      narrowed: diff.narrowed,
      unchanged: diff.unchanged,
    },
    null,
    2,
  )}\n`
}
