import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { generatePolicy } from '../../src/analyze/generate-policy.js'

/**
 * `tailor build --out FILE` replaces FILE atomically: a build killed at any moment leaves the previous
 * file byte for byte, or the whole new one, never a mix. The process is really killed (SIGKILL), once
 * in the middle of writing the bytes and then at spread-out moments of a build.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(repo, 'bin', 'tailor.js')
const scratch = mkdtempSync(join(tmpdir(), 'tailor-interrupted-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const previous = '// the policy that is live today\n{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}\n'
const source = join(scratch, 'policy.json')
writeFileSync(source, JSON.stringify(generatePolicy('M', 5), null, 2))

// kills the process after half of the output's bytes went to disk, as a crash or power loss would
const killMidWrite = `data:text/javascript,${encodeURIComponent(`
import { open } from 'node:fs/promises'
const probe = await open(process.execPath, 'r')
const FileHandle = Object.getPrototypeOf(probe)
await probe.close()
FileHandle.writeFile = async function (data) {
  const bytes = Buffer.from(data)
  await this.write(bytes.subarray(0, bytes.length >> 1))
  process.kill(process.pid, 'SIGKILL')
}
`)}`

describe('an interrupted build |', () => {
  test('killed halfway through writing, it leaves the previous file intact', () => {
    // GIVEN
    const out = join(scratch, 'killed-mid-write.hujson')
    writeFileSync(out, previous)
    // WHEN
    const run = spawnSync(process.execPath, ['--import', killMidWrite, bin, 'build', '--policy', source, '--out', out], { cwd: repo, encoding: 'utf8', timeout: 60_000 })
    // THEN
    expect(run.signal).toBe('SIGKILL')
    expect(readFileSync(out, 'utf8')).toBe(previous)
  })

  test('killed at any moment of the build, the file is the previous one or the complete new one', async () => {
    // GIVEN the bytes a complete build writes
    const complete = join(scratch, 'complete.hujson')
    const finished = spawnSync(process.execPath, [bin, 'build', '--policy', source, '--out', complete], { cwd: repo, encoding: 'utf8', timeout: 60_000 })
    expect(finished.status).toBe(0)
    const expected = readFileSync(complete, 'utf8')
    const started = performance.now()
    spawnSync(process.execPath, [bin, 'build', '--policy', source, '--out', complete], { cwd: repo, timeout: 60_000 })
    const duration = performance.now() - started
    const seen = new Set<string>()
    for (let i = 0; i < 12; i++) {
      const out = join(scratch, `killed-${i}.hujson`)
      writeFileSync(out, previous)
      // WHEN
      const child = spawn(process.execPath, [bin, 'build', '--policy', source, '--out', out], { cwd: repo, stdio: 'ignore' })
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await new Promise((resolve) => setTimeout(resolve, (duration * (i + 1)) / 12))
      child.kill('SIGKILL')
      await exited
      // THEN
      const now = readFileSync(out, 'utf8')
      expect([previous, expected]).toContain(now)
      seen.add(now === previous ? 'previous' : 'new')
    }
    // no half-written file is left under the target's own name; temporary files are dot-files beside it
    expect(readdirSync(scratch).filter((f) => !f.startsWith('.') && f.endsWith('.tmp'))).toEqual([])
    expect(seen.size).toBeGreaterThan(0)
  }, 180_000)
})
