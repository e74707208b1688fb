import { mkdir, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from './write-file-atomic.js'

export interface GeneratedFileWrite {
  /** the files written, relative to the folder, sorted */
  readonly written: readonly string[]
  /** files that already existed: overwritten with `force`, otherwise the reason nothing was written */
  readonly conflicts: readonly string[]
}

/**
 * Writes generated source files into `dir`, each atomically. All or nothing, as `tailor init` does:
 * when any of them exists and `force` is off, nothing is written and the conflicts are returned, so a
 * hand-edited policy is never half overwritten.
 */
export async function writeGeneratedFiles(
  dir: string,
  files: readonly { readonly path: string; readonly text: string }[],
  options: { readonly force: boolean },
): Promise<GeneratedFileWrite> {
  const conflicts: string[] = []
  for (const file of files) if (await exists(join(dir, file.path))) conflicts.push(file.path)
  conflicts.sort()
  if (conflicts.length > 0 && !options.force) return { written: [], conflicts }
  for (const file of files) {
    const target = join(dir, file.path)
    await mkdir(dirname(target), { recursive: true })
    await writeFileAtomic(target, file.text)
  }
  return { written: files.map((f) => f.path).sort(), conflicts }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
