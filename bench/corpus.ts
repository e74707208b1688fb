/**
 * `node dist-bench/corpus.js`: every bad-input corpus file through a real `tailor check` process, for the
 * figures issue 9 asks about: files tried (the committed corpus and the huge inputs made on the spot),
 * crashes (an exit code other than 1 or 2, a signal, or a stack trace), and the slowest time and largest peak
 * RSS of any one file (measured by /usr/bin/time).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { hugeInputs } from './huge-inputs.js'

const repo = join(import.meta.dirname, '..')
const corpus = join(repo, 'test', 'fixtures', 'bad')
const files = readdirSync(corpus, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath, entry.name))
  .sort()
const stackTrace = /^\s+at .+[(\s]\S+:\d+:\d+\)?$|\b(?:TypeError|RangeError|SyntaxError|ReferenceError): /m
let tried = 0
let crashes = 0
let slowest = { file: '', seconds: 0 }
let largest = { file: '', mb: 0 }

/** One `tailor check` process on FILE, timed and measured by /usr/bin/time, which also reports the exit code. */
function check(file: string, name: string): void {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, join(repo, 'bin', 'tailor.js'), 'check', '--policy', file], { cwd: repo, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 })
  const [seconds = 0, kb = 0] = (run.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number)
  const status = Number(/Command exited with non-zero status (\d+)/.exec(run.stderr)?.[1] ?? 0)
  const output = `${run.stdout}${run.stderr}`
  tried++
  if (run.signal !== null || ![1, 2].includes(status) || stackTrace.test(output)) {
    crashes++
    process.stdout.write(`crash: ${name}\n${output.slice(0, 400)}\n`)
  }
  if (seconds > slowest.seconds) slowest = { file: name, seconds }
  if (kb / 1024 > largest.mb) largest = { file: name, mb: Math.round(kb / 1024) }
}

for (const file of files) check(file, relative(corpus, file))
const scratch = mkdtempSync(join(tmpdir(), 'tailor-corpus-'))
try {
  for (const input of hugeInputs) {
    const file = join(scratch, input.file)
    writeFileSync(file, input.text())
    check(file, `${input.file} (${input.what})`)
    rmSync(file)
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
process.stdout.write(`files tried: ${tried} (${files.length} in the corpus, ${hugeInputs.length} huge ones made here), crashes: ${crashes}, slowest: ${slowest.seconds} s (${slowest.file}), largest peak RSS: ${largest.mb} MB (${largest.file})\n`)
