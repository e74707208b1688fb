/**
 * `node dist-bench/corpus.js`: every bad-input corpus file through a real `tailor check` process, for the
 * figures issue 9 asks about: files tried, crashes (an exit code other than 1 or 2, a signal, or a stack
 * trace), and the slowest time and largest peak RSS of any one file (measured by /usr/bin/time).
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

const repo = join(import.meta.dirname, '..')
const corpus = join(repo, 'test', 'fixtures', 'bad')
const files = readdirSync(corpus, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath, entry.name))
  .sort()
const stackTrace = /^\s+at .+[(\s]\S+:\d+:\d+\)?$|\b(?:TypeError|RangeError|SyntaxError|ReferenceError): /m
let crashes = 0
let slowest = { file: '', seconds: 0 }
let largest = { file: '', mb: 0 }
for (const file of files) {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, join(repo, 'bin', 'tailor.js'), 'check', '--policy', file], { cwd: repo, encoding: 'utf8', timeout: 120_000 })
  const [seconds = 0, kb = 0] = (run.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number)
  const name = relative(corpus, file)
  const output = `${run.stdout}${run.stderr}`
  const crashed = run.signal !== null || ![1, 2].includes(/Command exited with non-zero status (\d+)/.exec(run.stderr)?.[1] === undefined ? 0 : Number(/Command exited with non-zero status (\d+)/.exec(run.stderr)?.[1])) || stackTrace.test(output)
  if (crashed) {
    crashes++
    process.stdout.write(`crash: ${name}\n${output.slice(0, 400)}\n`)
  }
  if (seconds > slowest.seconds) slowest = { file: name, seconds }
  if (kb / 1024 > largest.mb) largest = { file: name, mb: Math.round(kb / 1024) }
}
process.stdout.write(`files tried: ${files.length}, crashes: ${crashes}, slowest: ${slowest.seconds} s (${slowest.file}), largest peak RSS: ${largest.mb} MB (${largest.file})\n`)
