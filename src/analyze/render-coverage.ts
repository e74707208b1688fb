import type { CoverageReport } from './coverage.js'
import { formatPath } from './flows.js'

/** `coverage: 3 of 4 rules exercised by a test (75%)` */
export function summarizeCoverage(report: CoverageReport): string {
  const percent = report.total === 0 ? 100 : Math.floor((report.covered / report.total) * 100)
  return `coverage: ${report.covered} of ${report.total} rules exercised by a test (${percent}%)`
}

export function renderCoverageText(report: CoverageReport): string {
  const rows = report.rules.map((r) => [formatPath(r.path), r.at ? `${r.at.file}:${r.at.line}` : '', r.testable ? (r.tests.length === 0 ? 'not covered' : r.tests.map(formatPath).join(', ')) : 'app only (not testable)'])
  const header = ['rule', 'location', 'exercised by']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  return `${[line(header), ...rows.map(line), '', summarizeCoverage(report)].join('\n')}\n`
}

export function renderCoverageJson(report: CoverageReport): string {
  return `${JSON.stringify({ schema: 'tailor/coverage@1', covered: report.covered, total: report.total, rules: report.rules }, null, 2)}\n`
}
