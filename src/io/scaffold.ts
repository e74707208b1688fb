import { readFile, readdir, mkdir, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeFileAtomic } from './write-file-atomic.js'

export interface ScaffoldOptions {
  /** the new repository's folder; created when missing */
  readonly dir: string
  /** package and Pulumi project name */
  readonly name: string
  /** how the new repository depends on tailor: `^0.1.0`, or `file:…/tailor-0.1.0.tgz` */
  readonly tailorSpec: string
  /** replace files that already exist */
  readonly force?: boolean
}

export interface ScaffoldResult {
  /** paths relative to `dir`, sorted */
  readonly written: readonly string[]
  /** files that exist and were left alone (nothing is written when there are any, unless `force`) */
  readonly conflicts: readonly string[]
}

/** Where the templates sit: `templates/` at the package root, both from `src/io` and from `dist/io`. */
export const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url))

// npm drops `.gitignore` from packages and some tools hide dot-folders, so templates keep them without the dot
const renamed: Readonly<Record<string, string>> = { gitignore: '.gitignore', github: '.github' }

/**
 * Writes a team's own policy repository from `templates/`: policy/, stacks/ for a test and a production tailnet,
 * Pulumi.yaml, the CI workflows, README and .gitignore. All or nothing: when any target file exists, nothing is
 * written and the conflicts are returned, so an existing repository is never half overwritten.
 */
export async function scaffoldPolicyRepo(options: ScaffoldOptions, from: string = templatesDir): Promise<ScaffoldResult> {
  const sources = (await listFiles(from)).sort()
  const plan = sources.map((source) => ({ source, target: source.split('/').map((part) => renamed[part] ?? part).join('/') }))
  const conflicts: string[] = []
  for (const { target } of plan) if (await exists(join(options.dir, target))) conflicts.push(target)
  if (conflicts.length > 0 && !options.force) return { written: [], conflicts: conflicts.sort() }
  const values: Readonly<Record<string, string>> = { name: options.name, tailorSpec: options.tailorSpec }
  for (const { source, target } of plan) {
    const text = (await readFile(join(from, source), 'utf8')).replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole)
    const file = join(options.dir, target)
    await mkdir(dirname(file), { recursive: true })
    await writeFileAtomic(file, text)
  }
  return { written: plan.map((p) => p.target).sort(), conflicts: options.force ? conflicts.sort() : [] }
}

/** A package name npm accepts, from a folder name: `Acme Tailnet` → `acme-tailnet`. */
export function packageNameFor(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '')
  return name === '' ? 'tailnet-policy' : name
}

async function listFiles(root: string, folder = root): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) found.push(...(await listFiles(root, path)))
    else if (entry.isFile()) found.push(relative(root, path).split(sep).join('/'))
  }
  return found
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}
