#!/usr/bin/env node
// Renders `tailor matrix --format html` for a policy in headless Chromium and saves a screenshot,
// to look at the report in a real browser. Not part of `npm test` (it needs Debian's `chromium`).
//   node scripts/screenshot-matrix.mjs [policy] [out.png] [width,height]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createJiti } from 'jiti'

const [policy = 'policy/index.ts', out = 'matrix.png', size = '1400,1100'] = process.argv.slice(2)
const scratch = mkdtempSync(join(tmpdir(), 'tailor-matrix-'))
try {
  const html = join(scratch, 'matrix.html')
  const { main } = await createJiti(import.meta.url).import('../src/cli/main.ts')
  const code = await main(['matrix', '--policy', policy, '--format', 'html', '--out', html])
  if (code !== 0) process.exit(code)
  // a fresh profile and no background traffic: the page must render from the file alone, offline
  execFileSync('chromium', [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${join(scratch, 'profile')}`,
    `--window-size=${size}`,
    '--hide-scrollbars',
    `--screenshot=${resolve(out)}`,
    pathToFileURL(html).href,
  ], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 })
  process.stdout.write(`wrote ${out}\n`)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
