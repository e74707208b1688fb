import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { main } from '../../src/cli/main.js'
import { bufferTerminal } from '../../src/cli/print.js'

export interface TailorRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `tailor ...argv` in-process, standing in `cwd`, with what it prints captured. */
export async function tailorIn(cwd: string, ...argv: string[]): Promise<TailorRun> {
  const terminal = bufferTerminal()
  const code = await main(argv, terminal, cwd)
  return { code, stdout: terminal.stdout(), stderr: terminal.stderr() }
}

/** A fresh folder holding `files` (path → text), e.g. `{ 'policy.hujson': '...' }`. */
export async function folderWith(files: Readonly<Record<string, string>>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tailor-cli-'))
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(folder, name)), { recursive: true })
    await writeFile(join(folder, name), text)
  }
  return folder
}

/** A small DSL policy: web → db on 5432, with one test that holds and one that does not unless `honest`. */
export function twoTierPolicy({ honest = true } = {}): string {
  return `import { definePolicy, Port } from 'tailor'

export default definePolicy({
  tags: { web: [], db: [] },
}, (p) => ({
  rules: [p.allow(p.tag.web).to(p.tag.db, Port.tcp(5432))],
  tests: [
    p.expect(p.tag.web).canReach(p.tag.db, Port.tcp(5432)),
    p.expect(p.tag.db).${honest ? 'cannotReach' : 'canReach'}(p.tag.web, Port.tcp(443)),
  ],
}))
`
}

/** The same tailnet as a policy file, whose second test the rules contradict unless `honest`. */
export function twoTierHujson({ honest = true } = {}): string {
  return `{
  "tagOwners": {"tag:web": [], "tag:db": []},
  "grants": [
    {"src": ["tag:web"], "dst": ["tag:db"], "ip": ["tcp:5432"]},
  ],
  "tests": [
    {"src": "tag:web", "accept": ["tag:db:5432"]},
    {"src": "tag:db", "${honest ? 'deny' : 'accept'}": ["tag:web:443"]},
  ],
}
`
}
