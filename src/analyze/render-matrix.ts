import type { AccessMatrix, MatrixCell } from './matrix.js'
import { formatPath, labelEndpoint } from './flows.js'

/**
 * Renderers for an {@link AccessMatrix}: a list for the terminal, a markdown table, JSON, and one
 * self-contained HTML file (matrix, graph, per-rule detail; no scripts or fonts from the network).
 */

/** `nas (192.168.1.20)` for an address a host alias names; other keys as they are */
function label(matrix: AccessMatrix, key: string): string {
  return labelEndpoint(key, matrix.hostNames)
}

function cellText(cell: MatrixCell): string {
  return [cell.access, ...(cell.ssh.length > 0 ? [`ssh ${cell.ssh.join(', ')}`] : []), ...(cell.app.length > 0 ? [`app ${cell.app.join(', ')}`] : [])]
    .filter((p) => p !== '')
    .join('; ')
    .concat(cell.conditional ? ' (conditional)' : '')
}

export function renderMatrixText(matrix: AccessMatrix): string {
  const lines: string[] = []
  let src: string | undefined
  const width = Math.max(0, ...matrix.cells.map((c) => label(matrix, c.dst).length))
  for (const cell of matrix.cells) {
    if (cell.src !== src) lines.push(`${lines.length > 0 ? '\n' : ''}${label(matrix, cell.src)}`)
    src = cell.src
    lines.push(`  → ${label(matrix, cell.dst).padEnd(width)}  ${cellText(cell)}`)
  }
  lines.push('', `${matrix.sources.length} principals, ${matrix.destinations.length} destinations, ${matrix.cells.length} reachable pairs`)
  return `${lines.join('\n')}\n`
}

export function renderMatrixMarkdown(matrix: AccessMatrix): string {
  const byPair = new Map(matrix.cells.map((c) => [`${c.src}\u0000${c.dst}`, c]))
  const escape = (text: string): string => text.replaceAll('|', '\\|')
  const lines = [
    `| principal \\ destination | ${matrix.destinations.map((d) => `\`${escape(label(matrix, d))}\``).join(' | ')} |`,
    `| --- |${matrix.destinations.map(() => ' --- |').join('')}`,
    ...matrix.sources.map((s) => `| \`${escape(label(matrix, s))}\` | ${matrix.destinations.map((d) => escape(cellOf(byPair, s, d))).join(' | ')} |`),
  ]
  return `${lines.join('\n')}\n`
}

function cellOf(byPair: ReadonlyMap<string, MatrixCell>, src: string, dst: string): string {
  const cell = byPair.get(`${src}\u0000${dst}`)
  return cell ? cellText(cell) : ''
}

export function renderMatrixJson(matrix: AccessMatrix): string {
  return `${JSON.stringify({ schema: 'tailor/matrix@1', ...matrix }, null, 2)}\n`
}

export interface HtmlOptions {
  /** shown in the title: the policy file */
  readonly title?: string
}

export function renderMatrixHtml(matrix: AccessMatrix, options: HtmlOptions = {}): string {
  const byPair = new Map(matrix.cells.map((c) => [`${c.src}\u0000${c.dst}`, c]))
  const title = options.title ? `Access matrix: ${options.title}` : 'Access matrix'
  const head = matrix.destinations.map((d, j) => `<th scope="col" data-col="${j}"><span>${html(label(matrix, d))}</span></th>`).join('')
  const body = matrix.sources
    .map((s, i) => {
      const cells = matrix.destinations
        .map((d, j) => {
          const cell = byPair.get(`${s}\u0000${d}`)
          if (!cell) return `<td data-col="${j}"></td>`
          const kinds = [cell.access !== '' ? 'net' : '', cell.ssh.length > 0 ? 'ssh' : '', cell.app.length > 0 ? 'app' : ''].filter((k) => k !== '').join(' ')
          const lines = [
            ...(cell.access !== '' ? [`<span class="ports">${html(cell.access)}</span>`] : []),
            ...(cell.ssh.length > 0 ? [`<span class="ssh">ssh ${html(cell.ssh.join(', '))}</span>`] : []),
            ...(cell.app.length > 0 ? [`<span class="app">app ${html(cell.app.join(', '))}</span>`] : []),
          ]
          const tip = `${label(matrix, s)} → ${label(matrix, d)}\n${cellText(cell)}\nrules: ${cell.rules.map(formatPath).join(', ')}`
          return `<td data-col="${j}" class="on ${kinds}${cell.conditional ? ' cond' : ''}" title="${html(tip)}">${lines.join('<br>')}</td>`
        })
        .join('')
      return `<tr data-row="${i}"><th scope="row">${html(label(matrix, s))}</th>${cells}</tr>`
    })
    .join('\n')
  const rules = matrix.rules
    .map(
      (r) =>
        `<tr id="rule-${html(formatPath(r.path))}"><td><code>${html(formatPath(r.path))}</code></td><td>${r.at ? html(`${r.at.file}:${r.at.line}`) : ''}</td><td><code>${html(r.text)}</code></td><td class="num">${r.pairs}</td><td>${
          r.tests.length > 0 ? html(r.tests.map(formatPath).join(', ')) : '<span class="warn">no test</span>'
        }</td></tr>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>
:root { color-scheme: light; --net: #2563eb; --ssh: #d97706; --app: #7c3aed; --line: #d4d4d8; --muted: #52525b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #18181b; background: #fafafa; }
header { padding: 20px 28px 8px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
header p, .legend { color: var(--muted); margin: 4px 0; }
main { padding: 0 28px 40px; }
nav a { margin-right: 14px; color: var(--net); }
.scroll { display: inline-block; max-width: 100%; overflow: auto; max-height: 75vh; border: 1px solid var(--line); background: #fff; }
table { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
.matrix thead th { position: sticky; top: 0; background: #f4f4f5; height: 150px; vertical-align: bottom; white-space: nowrap; z-index: 1; }
.matrix thead th span { display: inline-block; writing-mode: vertical-rl; transform: rotate(180deg); font-weight: 600; }
.matrix tbody th { position: sticky; left: 0; background: #f4f4f5; text-align: left; white-space: nowrap; font-weight: 600; }
.matrix td { min-width: 56px; font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; }
.matrix td.on { background: #eff6ff; }
.matrix td.on.ssh:not(.net) { background: #fffbeb; }
.matrix td.on.app:not(.net):not(.ssh) { background: #f5f3ff; }
.matrix td.cond { outline: 2px dashed #a1a1aa; outline-offset: -3px; }
.ports { color: var(--net); } .ssh { color: var(--ssh); } .app { color: var(--app); }
.matrix tr.hl th, .matrix td.hl { background: #fef9c3 !important; }
.rules { background: #fff; border: 1px solid var(--line); }
.rules th, .rules td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
.rules td.num { text-align: right; }
.warn { color: #b91c1c; }
svg text { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.graph { display: inline-block; max-width: 100%; background: #fff; border: 1px solid var(--line); overflow: auto; }
</style>
</head>
<body>
<header>
<h1>${html(title)}</h1>
<p>${matrix.sources.length} principals · ${matrix.destinations.length} destinations · ${matrix.cells.length} reachable pairs · ${matrix.rules.length} rules. Groups are expanded to their members and hosts to their addresses.</p>
<nav><a href="#matrix">Matrix</a><a href="#graph">Graph</a><a href="#rules">Rules</a></nav>
</header>
<main>
<section id="matrix">
<h2>Matrix</h2>
<p class="legend">Rows are who connects, columns what they reach. <span class="ports">Ports</span> as the policy writes them (<code>22</code> = TCP, UDP and ICMP), <span class="ssh">ssh logins</span>, <span class="app">app capabilities</span>; a dashed cell needs a device posture or a particular router.</p>
<div class="scroll"><table class="matrix">
<thead><tr><th scope="col"><span>principal \\ destination</span></th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>
</section>
<section id="graph">
<h2>Graph</h2>
<p class="legend"><span class="ports">network</span> · <span class="ssh">ssh only</span> · <span class="app">app only</span>; hover an edge for its access.</p>
<div class="graph">${graphSvg(matrix)}</div>
</section>
<section id="rules">
<h2>Rules</h2>
<table class="rules">
<thead><tr><th>rule</th><th>location</th><th>as written</th><th>pairs</th><th>exercised by</th></tr></thead>
<tbody>
${rules}
</tbody>
</table>
</section>
</main>
<script>
// highlight the row and column under the pointer; the page reads the same without it
document.querySelectorAll('.matrix td').forEach(function (td) {
  td.addEventListener('mouseenter', function () {
    var col = td.getAttribute('data-col');
    td.parentElement.classList.add('hl');
    document.querySelectorAll('.matrix [data-col="' + col + '"]').forEach(function (c) { c.classList.add('hl'); });
  });
  td.addEventListener('mouseleave', function () {
    document.querySelectorAll('.matrix .hl').forEach(function (c) { c.classList.remove('hl'); });
  });
});
</script>
</body>
</html>
`
}

function graphSvg(matrix: AccessMatrix): string {
  const row = 26
  const charWidth = 7.3
  const leftWidth = Math.max(80, ...matrix.sources.map((s) => label(matrix, s).length * charWidth + 16))
  const rightWidth = Math.max(80, ...matrix.destinations.map((d) => label(matrix, d).length * charWidth + 16))
  const gap = Math.max(260, Math.min(520, matrix.cells.length * 6))
  const width = Math.ceil(20 + leftWidth + gap + rightWidth + 20)
  const height = Math.max(matrix.sources.length, matrix.destinations.length) * row + 30
  const srcY = (i: number): number => 20 + i * row + ((height - 30 - matrix.sources.length * row) / 2)
  const dstY = (j: number): number => 20 + j * row + ((height - 30 - matrix.destinations.length * row) / 2)
  const srcIndex = new Map(matrix.sources.map((s, i) => [s, i]))
  const dstIndex = new Map(matrix.destinations.map((d, j) => [d, j]))
  const x1 = 20 + leftWidth
  const x2 = x1 + gap
  const edges = matrix.cells.map((c) => {
    const y1 = srcY(srcIndex.get(c.src)!) + row / 2 - 3
    const y2 = dstY(dstIndex.get(c.dst)!) + row / 2 - 3
    const color = c.access !== '' ? 'var(--net)' : c.ssh.length > 0 ? 'var(--ssh)' : 'var(--app)'
    const mid = (x1 + x2) / 2
    return `<path d="M${x1} ${y1.toFixed(1)} C${mid} ${y1.toFixed(1)} ${mid} ${y2.toFixed(1)} ${x2} ${y2.toFixed(1)}" fill="none" stroke="${color}" stroke-width="1.6" stroke-opacity="0.55"${c.conditional ? ' stroke-dasharray="5 3"' : ''}><title>${html(`${label(matrix, c.src)} → ${label(matrix, c.dst)}: ${cellText(c)}`)}</title></path>`
  })
  const box = (x: number, y: number, w: number, label: string, anchor: 'start' | 'end'): string =>
    `<g><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${row - 6}" rx="4" fill="#f4f4f5" stroke="#a1a1aa"/><text x="${(anchor === 'end' ? x + w - 8 : x + 8).toFixed(1)}" y="${(y + row / 2 + 1).toFixed(1)}" text-anchor="${anchor}">${html(label)}</text></g>`
  const sources = matrix.sources.map((s, i) => box(20, srcY(i), leftWidth, label(matrix, s), 'end'))
  const destinations = matrix.destinations.map((d, j) => box(x2, dstY(j), rightWidth, label(matrix, d), 'start'))
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="access graph">${edges.join('')}${sources.join('')}${destinations.join('')}</svg>`
}

function html(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}
