import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { validateWorkflow } from '@action-validator/core'
// a real YAML parser, so the workflow files are judged as GitHub reads them
import yaml from 'js-yaml'
import { describe, expect, test, vi } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const workflowDir = join(root, '.github/workflows')
const templateDir = join(root, 'templates/github/workflows')

type Json = Record<string, unknown>
interface Workflow {
  readonly file: string
  readonly text: string
  readonly doc: Json
}

async function workflows(): Promise<Workflow[]> {
  const files = (await readdir(workflowDir)).filter((f) => f.endsWith('.yml')).sort()
  return Promise.all(files.map(async (file) => {
    const text = await readFile(join(workflowDir, file), 'utf8')
    return { file, text, doc: yaml.load(text) as Json }
  }))
}

const record = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {})
const jobsOf = (w: Workflow): [string, Json][] => Object.entries(record(w.doc['jobs'])).map(([id, job]) => [id, record(job)])
const stepsOf = (job: Json): Json[] => (Array.isArray(job['steps']) ? job['steps'].map(record) : [])
const onOf = (w: Workflow): Json => record(w.doc['on'] ?? w.doc['true'])

const workflowKeys = new Set(['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'])
const jobKeys = new Set(['name', 'needs', 'if', 'runs-on', 'environment', 'concurrency', 'permissions', 'outputs', 'env', 'defaults', 'timeout-minutes', 'strategy', 'continue-on-error', 'container', 'services', 'steps'])
const stepKeys = new Set(['id', 'if', 'name', 'uses', 'run', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes', 'working-directory'])
const permissionScopes = new Set(['actions', 'attestations', 'checks', 'contents', 'deployments', 'id-token', 'issues', 'discussions', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses'])
const events = new Set(['push', 'pull_request', 'schedule', 'workflow_dispatch', 'workflow_call', 'release'])

describe('the CI workflows', () => {
  test('are the ones `tailor init` writes, byte for byte', async () => {
    // GIVEN
    const ours = (await readdir(workflowDir)).sort()
    const templates = (await readdir(templateDir)).sort()
    // THEN
    expect(ours).toEqual(['policy-apply.yml', 'policy-pr.yml'])
    expect(templates).toEqual(ours)
    for (const file of ours) expect(await readFile(join(workflowDir, file), 'utf8')).toBe(await readFile(join(templateDir, file), 'utf8'))
  })

  test('validate against the GitHub Actions workflow schema (action-validator, SchemaStore\'s schema)', async () => {
    // the validator notes on the console that it cannot check `paths` globs; that is not a finding
    const notes = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      for (const w of await workflows()) expect(validateWorkflow(w.text).errors, w.file).toEqual([])
      const misspelt = validateWorkflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n')
      expect(JSON.stringify(misspelt.errors)).toContain("Additional property 'stepz' is not allowed")
    } finally {
      notes.mockRestore()
    }
  })

  test('have the structure GitHub Actions accepts: known keys, runs-on, steps that either use or run', async () => {
    for (const w of await workflows()) {
      expect([...Object.keys(w.doc)].filter((k) => !workflowKeys.has(k)), w.file).toEqual([])
      expect(Object.keys(onOf(w)).filter((e) => !events.has(e)), w.file).toEqual([])
      const ids = new Set(jobsOf(w).map(([id]) => id))
      for (const [id, job] of jobsOf(w)) {
        const where = `${w.file} job ${id}`
        expect(Object.keys(job).filter((k) => !jobKeys.has(k)), where).toEqual([])
        expect(typeof job['runs-on'], where).toBe('string')
        expect(typeof job['timeout-minutes'], where).toBe('number')
        const needs = job['needs'] === undefined ? [] : [job['needs']].flat()
        for (const need of needs) expect(ids.has(String(need)), `${where} needs ${String(need)}`).toBe(true)
        for (const [index, step] of stepsOf(job).entries()) {
          expect(Object.keys(step).filter((k) => !stepKeys.has(k)), `${where} step ${index}`).toEqual([])
          expect(('uses' in step) !== ('run' in step), `${where} step ${index}: exactly one of uses/run`).toBe(true)
          if ('with' in step) expect('uses' in step, `${where} step ${index}: with needs uses`).toBe(true)
        }
      }
      for (const cron of [onOf(w)['schedule'] ?? []].flat().map((s) => String(record(s)['cron']))) expect(cron.split(' ')).toHaveLength(5)
      const opened = (w.text.match(/\$\{\{/g) ?? []).length
      expect((w.text.match(/\}\}/g) ?? []).length, `${w.file}: balanced expressions`).toBe(opened)
    }
  })

  test('pin every action to a full commit SHA, with the version in a comment', async () => {
    for (const w of await workflows()) {
      for (const line of w.text.split('\n').filter((l) => /^\s*(?:-\s+)?uses:/.test(l))) {
        expect(line, w.file).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(?:\.\d+)*$/)
      }
    }
  })

  test('grant least privilege: nothing at the top, each job only what it uses', async () => {
    for (const w of await workflows()) {
      const top = record(w.doc['permissions'])
      expect(Object.entries(top).filter(([scope, level]) => !(scope === 'contents' && level === 'read')), w.file).toEqual([])
      for (const [id, job] of jobsOf(w)) {
        const permissions = record(job['permissions'])
        expect(job['permissions'], `${w.file} job ${id} declares permissions`).toBeDefined()
        for (const [scope, level] of Object.entries(permissions)) {
          expect(permissionScopes.has(scope), `${w.file} ${id}: ${scope}`).toBe(true)
          expect(['read', 'write', 'none']).toContain(level)
        }
        const usesOidc = stepsOf(job).some((s) => /pulumi\/actions|auth-actions|configure-aws-credentials/.test(String(s['uses'] ?? '')) || /drift/.test(String(s['run'] ?? '')))
        if (permissions['id-token'] === 'write') expect(usesOidc, `${w.file} ${id} asks for id-token without using it`).toBe(true)
      }
    }
  })

  test('the PR workflow never runs fork code with secrets: pull_request only, no secret, no OIDC token', async () => {
    // GIVEN
    const pr = (await workflows()).find((w) => w.file === 'policy-pr.yml')!
    // THEN
    expect(Object.keys(onOf(pr))).toEqual(['pull_request'])
    expect(pr.text).not.toMatch(/^\s*pull_request_target\s*:/m)
    expect(pr.text).not.toMatch(/secrets\./)
    for (const [, job] of jobsOf(pr)) expect(record(job['permissions'])['id-token']).toBeUndefined()
    const runs = jobsOf(pr).flatMap(([, job]) => stepsOf(job)).map((s) => String(s['run'] ?? '')).join('\n')
    expect(runs).toMatch(/tailor -- scan/)
    expect(runs).toMatch(/tailor -- check/)
    expect(runs).toMatch(/tailor -- lint/)
    expect(runs).toMatch(/tailor -- diff "git:origin\/\$\{BASE_REF\}"/)
    expect(runs).toMatch(/--format markdown > "\$RUNNER_TEMP\/policy-diff.md"/)
  })

  test('no workflow puts untrusted event text straight into a shell', async () => {
    for (const w of await workflows()) {
      const runs = jobsOf(w).flatMap(([, job]) => stepsOf(job)).map((s) => String(s['run'] ?? ''))
      for (const run of runs) expect(run, w.file).not.toMatch(/\$\{\{\s*github\.(?:event|head_ref|base_ref)/)
    }
  })

  test('applies are serialised, promote test to production, scan first, and run drift on a schedule', async () => {
    // GIVEN
    const apply = (await workflows()).find((w) => w.file === 'policy-apply.yml')!
    const jobs = Object.fromEntries(jobsOf(apply))
    // THEN
    expect(Object.keys(onOf(apply)).sort()).toEqual(['pull_request', 'push', 'schedule', 'workflow_dispatch'])
    for (const id of ['apply-test', 'apply-production']) {
      expect(record(jobs[id]?.['concurrency'])['cancel-in-progress'], id).toBe(false)
      expect(record(jobs[id]?.['permissions'])['id-token'], id).toBe('write')
      const up = stepsOf(jobs[id]!).find((s) => String(s['uses']).startsWith('pulumi/actions@'))
      expect(record(up?.['with'])['command']).toBe('up')
    }
    expect(jobs['apply-test']?.['needs']).toBe('check')
    expect(jobs['apply-production']?.['needs']).toBe('apply-test')
    expect(jobs['apply-production']?.['environment']).toBe('production')
    expect(stepsOf(jobs['check']!).map((s) => String(s['run'] ?? ''))).toContain('npm run --silent tailor -- scan')
    expect(String(jobs['preview']?.['if'])).toMatch(/vars\.TAILOR_PREVIEW == 'true'/)
    expect(String(jobs['preview']?.['if'])).toMatch(/head\.repo\.full_name == github\.repository/)
    expect(jobs['preview']?.['environment']).toBe('production')
    expect(String(jobs['drift']?.['if'])).toMatch(/schedule/)
    expect(record(jobs['drift']?.['permissions'])).toEqual({ contents: 'read', 'id-token': 'write', issues: 'write' })
    expect(apply.text).toMatch(/PULUMI_BACKEND_URL: \$\{\{ vars\.PULUMI_BACKEND_URL \}\}/)
    for (const id of ['apply-test', 'apply-production', 'preview']) {
      const steps = stepsOf(jobs[id]!)
      const guard = steps.findIndex((s) => s['name'] === 'Require a shared state backend')
      const up = steps.findIndex((s) => String(s['uses']).startsWith('pulumi/actions@'))
      expect(guard, `${id} refuses a runner-local backend`).toBeGreaterThanOrEqual(0)
      expect(guard).toBeLessThan(up)
      expect(String(steps[guard]?.['run'])).toMatch(/'' \| file:\/\/\*\) .*exit 1/)
    }
    expect(apply.text).not.toMatch(/TAILSCALE_(?:API_KEY|OAUTH_CLIENT_SECRET)/)
  })
})
