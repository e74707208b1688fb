/**
 * Writes the bad-input corpus under test/fixtures/bad/ (run: `npx jiti test/hardening/make-bad-corpus.ts`).
 * The files are committed so a reviewer can open any one of them; this script is how they were made and
 * how to make more. The huge ones (50 MB, 100k-deep nesting) are built when used instead, from
 * bench/huge-inputs.ts. Every file here must be rejected: exit 1 (2 when unreadable), with a coded, located
 * diagnostic.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'bad')

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/** A small valid policy that exercises every section; each case breaks one thing in it. */
function base(): { [key: string]: Json } {
  return {
    groups: { 'group:eng': ['alice@example.com', 'bob@example.com'], 'group:ops': ['carol@example.com'] },
    tagOwners: { 'tag:web': ['group:eng'], 'tag:db': ['group:ops'], 'tag:router': ['group:ops'] },
    hosts: { nas: '10.1.2.3', office: '192.168.1.0/24' },
    ipsets: { 'ipset:lab': ['10.9.0.0/16'] },
    postures: { 'posture:latest': ['node:tsReleaseTrack == "stable"'] },
    acls: [{ action: 'accept', src: ['group:eng'], dst: ['tag:web:443'] }],
    grants: [{ src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] }],
    ssh: [{ action: 'check', src: ['group:eng'], dst: ['tag:web'], users: ['root', 'autogroup:nonroot'] }],
    nodeAttrs: [{ target: ['tag:router'], attr: ['funnel'] }],
    autoApprovers: { routes: { '10.0.0.0/8': ['tag:router'] }, exitNode: ['tag:router'] },
    tests: [{ src: 'alice@example.com', accept: ['tag:web:443'], deny: ['tag:db:5432'] }],
    sshTests: [{ src: 'alice@example.com', dst: ['tag:web'], check: ['root'] }],
  }
}

type Path = readonly (string | number)[]

function setAt(doc: { [key: string]: Json }, path: Path, value: Json | undefined): { [key: string]: Json } {
  let node: Json = doc
  for (const key of path.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(node) ? node[key as number] : (node as { [key: string]: Json })[key as string]
    if (next === undefined || next === null || typeof next !== 'object') throw new Error(`no container at ${path.join('.')}`)
    node = next
  }
  const last = path[path.length - 1]!
  if (Array.isArray(node)) {
    if (value === undefined) node.splice(last as number, 1)
    else node[last as number] = value
  } else if (value === undefined) delete (node as { [key: string]: Json })[last as string]
  else (node as { [key: string]: Json })[last as string] = value
  return doc
}

const written: string[] = []

function write(category: string, name: string, content: string | Buffer, extension = 'hujson'): void {
  const file = join(root, category, `${name}.${extension}`)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, content)
  written.push(file)
}

/** A mutation of the base policy, written with a comment saying what is wrong with it. */
function variant(category: string, name: string, why: string, path: Path, value: Json | undefined): void {
  write(category, name, `// bad input: ${why}\n${JSON.stringify(setAt(base(), path, value), null, 2)}\n`)
}

/** A whole policy given as an object, for cases that need more than one change. */
function policy(category: string, name: string, why: string, doc: { [key: string]: Json }): void {
  write(category, name, `// bad input: ${why}\n${JSON.stringify(doc, null, 2)}\n`)
}

rmSync(root, { recursive: true, force: true })
const valid = JSON.stringify(base(), null, 2)

// ── syntax: malformed HuJSON ─────────────────────────────────────────────────────────────
const syntax: Record<string, string | Buffer> = {
  'unclosed-block-comment': `/* policy for the office\n${valid}\n`,
  'unclosed-block-comment-at-end': `${valid}\n/* trailing note`,
  'comment-inside-key': '{"acls" /* x */ : [], "gr/*x*/oups": {}}\n{',
  'trailing-garbage': `${valid}\ngarbage after the document\n`,
  'second-document': `${valid}\n${valid}\n`,
  'trailing-closing-brace': `${valid}}\n`,
  'unclosed-object': valid.slice(0, valid.length - 1),
  'unclosed-array': '{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}\n',
  'unclosed-string': '{"acls": [{"action": "accept, "src": ["*"], "dst": ["*:*"]}]}\n',
  'unterminated-string-at-eof': '{"hosts": {"nas": "10.1.2.3',
  'missing-colon': '{"acls" []}\n',
  'missing-comma-between-entries': '{"acls": [] "grants": []}\n',
  'missing-comma-in-array': '{"acls": [{"action": "accept", "src": ["*"] "dst": ["*:*"]}]}\n',
  'double-comma': '{"acls": [],, "grants": []}\n',
  'leading-comma-in-array': '{"acls": [, {"action": "accept", "src": ["*"], "dst": ["*:*"]}]}\n',
  'lone-comma-object': '{,}\n',
  'single-quoted-strings': "{'acls': [{'action': 'accept', 'src': ['*'], 'dst': ['*:*']}]}\n",
  'unquoted-keys': '{acls: [{action: "accept", src: ["*"], dst: ["*:*"]}]}\n',
  'json5-nan': '{"randomizeClientPort": NaN}\n',
  'json5-infinity': '{"randomizeClientPort": Infinity}\n',
  'json5-hex-number': '{"derpMap": {"OmitDefaultRegions": 0x1}}\n',
  'json5-leading-plus': '{"derpMap": {"Regions": {"900": {"RegionID": +900}}}}\n',
  'json5-leading-dot': '{"derpMap": {"x": .5}}\n',
  'json5-trailing-dot': '{"derpMap": {"x": 5.}}\n',
  'leading-zero-number': '{"derpMap": {"x": 0900}}\n',
  'json5-multiline-string': '{"hosts": {"nas": "10.1.\\\n2.3"}}\n',
  'python-style-comment': `# policy\n${valid}\n`,
  'bad-escape': '{"hosts": {"nas": "10.1.2.3\\q"}}\n',
  'bad-unicode-escape': '{"hosts": {"nas": "\\u12G4"}}\n',
  'raw-newline-in-string': '{"hosts": {"nas": "10.1.\n2.3"}}\n',
  'raw-tab-in-string': '{"hosts": {"nas": "10.1.2.3\t"}}\n',
  'control-character-in-string': '{"hosts": {"nas": "10.1.\u00012.3"}}\n',
  'empty-file': '',
  'only-whitespace': '  \n\t\n',
  'only-comments': '// nothing but a comment\n/* and another */\n',
  'bare-word': 'policy\n',
  'truncated-mid-key': '{"tagOw',
  'truncated-after-colon': '{"tagOwners":',
  'unbalanced-brackets': '{"acls": [}]\n',
  'object-as-key': '{{"acls": []}: 1}\n',
  'number-as-key': '{1: []}\n',
  'bom-utf8': `\ufeff${valid}\n`,
  'bom-twice': `\ufeff\ufeff${valid}\n`,
  'bom-mid-file': `{"acls": [],\ufeff "grants": []}\n`,
  'zero-width-space-between-tokens': '{"acls":\u200b []}\n',
  'nbsp-as-whitespace': '{"acls":\u00a0[]}\n',
  'nul-byte-between-tokens': '{"acls": [],\u0000 "grants": []}\n',
  'nul-byte-in-string': '{"hosts": {"nas": "10.1.2.3\u0000"}}\n',
  'nul-bytes-only': '\u0000\u0000\u0000\u0000',
  'nul-after-document': `${valid}\u0000\n`,
  'unicode-line-separator-in-key': '{"ac\u2028ls": []}\n',
  'fullwidth-brace': '\uff5b"acls": []\uff5d\n',
  'smart-quotes': '{\u201cacls\u201d: []}\n',
  'html-instead-of-json': '<!doctype html><html><body>Sign in to Tailscale</body></html>\n',
  'yaml-instead-of-json': 'acls:\n  - action: accept\n    src: ["*"]\n    dst: ["*:*"]\n',
  'comment-opener-only': '/',
  'star-slash-without-opener': `*/ ${valid}\n`,
  'lone-surrogate-escape-then-garbage': '{"hosts": {"nas": "\\ud800"}} x\n',
}
for (const [name, text] of Object.entries(syntax)) write('syntax', name, text)

// ── encoding: bytes that are not UTF-8 text ──────────────────────────────────────────────
const encoding: Record<string, Buffer> = {
  'utf16le-with-bom': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')]),
  'utf16be-with-bom': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(valid, 'utf16le').swap16()]),
  'utf32le-with-bom': Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x00]), Buffer.from([...Buffer.from('{}')].flatMap((b) => [b, 0, 0, 0]))]),
  'invalid-utf8-in-key': Buffer.concat([Buffer.from('{"ac'), Buffer.from([0xc3, 0x28]), Buffer.from('ls": []}\n')]),
  'invalid-utf8-in-tag-name': Buffer.concat([Buffer.from('{"tagOwners": {"tag:we'), Buffer.from([0xff]), Buffer.from('b": []}}\n')]),
  'invalid-utf8-between-tokens': Buffer.concat([Buffer.from('{"acls": []'), Buffer.from([0x80, 0x81]), Buffer.from('}\n')]),
  'overlong-utf8-slash': Buffer.concat([Buffer.from('{"acls": []}'), Buffer.from([0xc0, 0xaf]), Buffer.from('\n')]),
  'truncated-utf8-sequence-at-eof': Buffer.concat([Buffer.from('{"acls": []} '), Buffer.from([0xe2, 0x82])]),
  'latin1-encoded-name': Buffer.concat([Buffer.from('{"groups": {"group:caf'), Buffer.from([0xe9]), Buffer.from('": ["alice@example.com"]}}\n')]),
  'utf8-encoded-surrogate': Buffer.concat([Buffer.from('{"hosts": {"n'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('": "10.0.0.1"}}\n')]),
  'gzip-bytes': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0xae, 0x05, 0x00, 0x43, 0xbf, 0xa6, 0xa3, 0x02, 0x00, 0x00, 0x00]),
  'png-header': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  'random-binary': Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 2654435761) % 256)),
}
for (const [name, bytes] of Object.entries(encoding)) write('encoding', name, bytes)

// ── duplicate keys ───────────────────────────────────────────────────────────────────────
const duplicates: Record<string, string> = {
  'top-level-acls-twice': '{"acls": [], "grants": [], "acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}\n',
  'group-declared-twice': '{"groups": {"group:eng": ["alice@example.com"], "group:eng": ["mallory@example.com"]}}\n',
  'tag-owner-declared-twice': '{"tagOwners": {"tag:web": ["alice@example.com"], "tag:web": []}}\n',
  'host-declared-twice': '{"hosts": {"nas": "10.1.2.3", "nas": "10.1.2.4"}}\n',
  'key-twice-in-acl-rule': '{"acls": [{"action": "accept", "src": ["alice@example.com"], "src": ["*"], "dst": ["*:*"]}]}\n',
  'key-twice-in-grant': '{"grants": [{"src": ["*"], "dst": ["*"], "ip": ["443"], "ip": ["*"]}]}\n',
  'key-twice-in-ssh-rule': '{"ssh": [{"action": "check", "action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self"], "users": ["root"]}]}\n',
  'key-twice-in-test': '{"tests": [{"src": "alice@example.com", "accept": ["10.0.0.1:22"], "accept": []}]}\n',
  'key-twice-in-auto-approvers': '{"autoApprovers": {"exitNode": [], "exitNode": ["autogroup:member"]}}\n',
  'key-twice-in-app-params': '{"grants": [{"src": ["*"], "dst": ["*"], "app": {"example.com/cap/x": [{"role": "viewer", "role": "admin"}]}}]}\n',
  'three-times-in-one-object': '{"hosts": {"a": "10.0.0.1", "a": "10.0.0.2", "a": "10.0.0.3"}}\n',
  'escaped-spelling-of-same-key': '{"hosts": {"nas": "10.1.2.3", "n\\u0061s": "10.1.2.4"}}\n',
}
for (const [name, text] of Object.entries(duplicates)) write('duplicate-keys', name, text)

// ── wrong types at every field ───────────────────────────────────────────────────────────
const topLevel: Record<string, Json[]> = {
  acls: [{}, 'accept', 1, true],
  grants: [{}, 'x'],
  ssh: [{}, 'x'],
  groups: [[], 'group:eng', 1],
  tagOwners: [[], 'tag:web'],
  hosts: [[], 'nas'],
  ipsets: [[], 1],
  postures: [[], 'posture:x'],
  autoApprovers: [[], 'tag:router'],
  nodeAttrs: [{}, 'funnel'],
  tests: [{}, 'alice@example.com'],
  sshTests: [{}, 1],
  disableIPv4: ['yes', 1],
  randomizeClientPort: ['true', 0],
  OneCGNATRoute: [1, []],
  defaultSrcPosture: ['posture:latest', {}],
}
for (const [key, values] of Object.entries(topLevel)) {
  values.forEach((value, i) => variant('types', `top-${key}-${i}`, `\`${key}\` is a ${Array.isArray(value) ? 'array' : typeof value}`, [key], value))
}
const nested: [string, Path, Json][] = [
  ['acl-not-object', ['acls', 0], 'group:eng -> tag:web:443'],
  ['acl-action-number', ['acls', 0, 'action'], 1],
  ['acl-action-null', ['acls', 0, 'action'], null],
  ['acl-src-string', ['acls', 0, 'src'], 'group:eng'],
  ['acl-src-number-item', ['acls', 0, 'src', 0], 42],
  ['acl-src-null-item', ['acls', 0, 'src', 0], null],
  ['acl-src-nested-array', ['acls', 0, 'src', 0], ['group:eng']],
  ['acl-dst-object', ['acls', 0, 'dst'], { 'tag:web': 443 }],
  ['acl-dst-number-item', ['acls', 0, 'dst', 0], 443],
  ['acl-proto-number', ['acls', 0, 'proto'], 6],
  ['acl-proto-array', ['acls', 0, 'proto'], ['tcp']],
  ['acl-src-posture-string', ['acls', 0, 'srcPosture'], 'posture:latest'],
  ['grant-not-object', ['grants', 0], ['tag:web', 'tag:db']],
  ['grant-src-string', ['grants', 0, 'src'], 'tag:web'],
  ['grant-dst-number', ['grants', 0, 'dst'], 5],
  ['grant-ip-string', ['grants', 0, 'ip'], 'tcp:5432'],
  ['grant-ip-number-item', ['grants', 0, 'ip', 0], 5432],
  ['grant-app-array', ['grants', 0, 'app'], [{ 'example.com/cap/x': [] }]],
  ['grant-app-params-not-array', ['grants', 0, 'app'], { 'example.com/cap/x': { role: 'admin' } }],
  ['grant-via-string', ['grants', 0, 'via'], 'tag:router'],
  ['ssh-rule-not-object', ['ssh', 0], 'check'],
  ['ssh-action-boolean', ['ssh', 0, 'action'], true],
  ['ssh-users-string', ['ssh', 0, 'users'], 'root'],
  ['ssh-users-number-item', ['ssh', 0, 'users', 0], 0],
  ['ssh-check-period-number', ['ssh', 0, 'checkPeriod'], 12],
  ['ssh-accept-env-string', ['ssh', 0, 'acceptEnv'], 'GIT_*'],
  ['ssh-dst-object', ['ssh', 0, 'dst'], { tag: 'web' }],
  ['group-members-string', ['groups', 'group:eng'], 'alice@example.com'],
  ['group-member-number', ['groups', 'group:eng', 0], 7],
  ['group-member-object', ['groups', 'group:eng', 0], { email: 'alice@example.com' }],
  ['tag-owners-string', ['tagOwners', 'tag:web'], 'group:eng'],
  ['tag-owner-null-item', ['tagOwners', 'tag:web', 0], null],
  ['host-number', ['hosts', 'nas'], 167838211],
  ['host-array', ['hosts', 'nas'], ['10.1.2.3']],
  ['ipset-string', ['ipsets', 'ipset:lab'], '10.9.0.0/16'],
  ['posture-string', ['postures', 'posture:latest'], 'node:os == "linux"'],
  ['node-attr-target-string', ['nodeAttrs', 0, 'target'], 'tag:router'],
  ['node-attr-attr-number', ['nodeAttrs', 0, 'attr'], 1],
  ['auto-approvers-routes-array', ['autoApprovers', 'routes'], ['10.0.0.0/8']],
  ['auto-approvers-route-owners-string', ['autoApprovers', 'routes', '10.0.0.0/8'], 'tag:router'],
  ['auto-approvers-exit-node-string', ['autoApprovers', 'exitNode'], 'tag:router'],
  ['test-not-object', ['tests', 0], 'alice@example.com -> tag:web:443'],
  ['test-src-array', ['tests', 0, 'src'], ['alice@example.com']],
  ['test-src-number', ['tests', 0, 'src'], 1],
  ['test-accept-string', ['tests', 0, 'accept'], 'tag:web:443'],
  ['test-deny-number-item', ['tests', 0, 'deny', 0], 5432],
  ['test-proto-number', ['tests', 0, 'proto'], 6],
  ['ssh-test-dst-string', ['sshTests', 0, 'dst'], 'tag:web'],
  ['ssh-test-check-string', ['sshTests', 0, 'check'], 'root'],
  ['ssh-test-src-object', ['sshTests', 0, 'src'], { user: 'alice@example.com' }],
]
for (const [name, path, value] of nested) variant('types', name, `\`${path.join('.')}\` has the wrong type`, path, value)

// ── unknown fields ───────────────────────────────────────────────────────────────────────
const unknown: [string, Path][] = [
  ['top-level-misspelled-acl', ['acl']],
  ['top-level-misspelled-grant', ['grant']],
  ['top-level-tag-owners-snake-case', ['tag_owners']],
  ['top-level-invented', ['firewall']],
  ['in-acl-rule', ['acls', 0, 'ports_']],
  ['in-acl-rule-deny', ['acls', 0, 'deny']],
  ['in-grant', ['grants', 0, 'port']],
  ['in-grant-misspelled-dst', ['grants', 0, 'dest']],
  ['in-ssh-rule', ['ssh', 0, 'user']],
  ['in-test', ['tests', 0, 'dst']],
  ['in-ssh-test', ['sshTests', 0, 'users']],
  ['in-node-attr', ['nodeAttrs', 0, 'targets']],
  ['in-auto-approvers', ['autoApprovers', 'subnets']],
]
for (const [name, path] of unknown) variant('unknown-fields', name, `\`${path[path.length - 1]}\` is not a field Tailscale knows there`, path, ['x'])

// ── undefined names ──────────────────────────────────────────────────────────────────────
const undefinedNames: [string, Path, Json][] = [
  ['tag-in-acl-src', ['acls', 0, 'src', 0], 'tag:nonexistent'],
  ['tag-in-acl-dst', ['acls', 0, 'dst', 0], 'tag:nonexistent:443'],
  ['typo-tag-in-acl-dst', ['acls', 0, 'dst', 0], 'tag:wbe:443'],
  ['group-in-acl-src', ['acls', 0, 'src', 0], 'group:engg'],
  ['host-in-acl-dst', ['acls', 0, 'dst', 0], 'fileserver:445'],
  ['ipset-in-acl-dst', ['acls', 0, 'dst', 0], 'ipset:prod:*'],
  ['posture-in-acl', ['acls', 0, 'srcPosture'], ['posture:missing']],
  ['tag-in-grant-src', ['grants', 0, 'src', 0], 'tag:nonexistent'],
  ['tag-in-grant-dst', ['grants', 0, 'dst', 0], 'tag:nonexistent'],
  ['group-in-grant-dst', ['grants', 0, 'dst', 0], 'group:nobody'],
  ['tag-in-grant-via', ['grants', 0, 'via'], ['tag:nonexistent']],
  ['host-in-grant-dst', ['grants', 0, 'dst', 0], 'printer'],
  ['tag-in-ssh-dst', ['ssh', 0, 'dst', 0], 'tag:nonexistent'],
  ['group-in-ssh-src', ['ssh', 0, 'src', 0], 'group:nobody'],
  ['group-in-tag-owners', ['tagOwners', 'tag:web', 0], 'group:nobody'],
  ['tag-in-tag-owners', ['tagOwners', 'tag:web', 0], 'tag:nonexistent'],
  ['tag-in-node-attrs', ['nodeAttrs', 0, 'target', 0], 'tag:undefined-tag'],
  ['tag-in-auto-approvers-routes', ['autoApprovers', 'routes', '10.0.0.0/8', 0], 'tag:nonexistent'],
  ['tag-in-auto-approvers-exit-node', ['autoApprovers', 'exitNode', 0], 'tag:nonexistent'],
  ['posture-in-default-src-posture', ['defaultSrcPosture'], ['posture:missing']],
  ['unknown-autogroup-in-acl-src', ['acls', 0, 'src', 0], 'autogroup:bogus'],
]
for (const [name, path, value] of undefinedNames) variant('undefined-names', name, `\`${JSON.stringify(value)}\` names something never declared`, path, value)

// ── tests and sshTests referencing undefined names or malformed ──────────────────────────
const tests: [string, Path, Json][] = [
  ['src-undefined-tag', ['tests', 0, 'src'], 'tag:phantom'],
  ['src-undefined-group', ['tests', 0, 'src'], 'group:phantom'],
  ['src-undefined-host', ['tests', 0, 'src'], 'phantomhost'],
  ['src-empty', ['tests', 0, 'src'], ''],
  ['accept-undefined-tag', ['tests', 0, 'accept', 0], 'tag:phantom:443'],
  ['accept-undefined-host', ['tests', 0, 'accept', 0], 'phantomhost:22'],
  ['deny-undefined-group', ['tests', 0, 'deny', 0], 'group:phantom:22'],
  ['accept-cidr', ['tests', 0, 'accept', 0], '10.0.0.0/8:22'],
  ['accept-port-range', ['tests', 0, 'accept', 0], 'tag:web:400-500'],
  ['accept-port-list', ['tests', 0, 'accept', 0], 'tag:web:80,443'],
  ['accept-wildcard', ['tests', 0, 'accept', 0], '*:*'],
  ['accept-no-port', ['tests', 0, 'accept', 0], 'tag:web'],
  ['accept-port-out-of-range', ['tests', 0, 'accept', 0], 'tag:web:99999'],
  ['neither-accept-nor-deny', ['tests', 0], { src: 'alice@example.com' }],
  ['contradicted-by-rules', ['tests', 0], { src: 'alice@example.com', accept: ['tag:db:5432'] }],
  ['deny-contradicted-by-rules', ['tests', 0], { src: 'alice@example.com', deny: ['tag:web:443'] }],
  ['ssh-src-undefined-group', ['sshTests', 0, 'src'], 'group:phantom'],
  ['ssh-dst-undefined-tag', ['sshTests', 0, 'dst', 0], 'tag:phantom'],
  ['ssh-dst-with-port', ['sshTests', 0, 'dst', 0], 'tag:web:22'],
  ['ssh-dst-internet', ['sshTests', 0, 'dst', 0], 'autogroup:internet'],
  ['ssh-dst-cidr', ['sshTests', 0, 'dst', 0], '100.64.0.0/24'],
  ['ssh-no-expectation', ['sshTests', 0], { src: 'alice@example.com', dst: ['tag:web'] }],
  ['ssh-contradicted-by-rules', ['sshTests', 0], { src: 'alice@example.com', dst: ['tag:web'], deny: ['root'] }],
]
for (const [name, path, value] of tests) variant('tests', name, `a test entry that cannot pass: \`${JSON.stringify(value)}\``, path, value)

// ── tags ─────────────────────────────────────────────────────────────────────────────────
const badTags = { 'empty-name': 'tag:', 'starts-with-digit': 'tag:1web', 'starts-with-dash': 'tag:-web', 'contains-space': 'tag:web server', 'contains-colon': 'tag:web:prod', 'cyrillic-first-letter': 'tag:сервер', 'contains-slash': 'tag:web/prod', 'no-prefix': 'web' }
for (const [name, tag] of Object.entries(badTags)) {
  policy('tags', `owner-key-${name}`, `\`${tag}\` is not a valid tag name`, {
    tagOwners: { [tag]: ['alice@example.com'] },
    grants: [{ src: ['alice@example.com'], dst: [tag], ip: ['443'] }],
  })
}
policy('tags', 'used-in-src-empty-name', '`tag:` has no name', { tagOwners: { 'tag:web': [] }, acls: [{ action: 'accept', src: ['tag:'], dst: ['tag:web:443'] }] })
policy('tags', 'used-in-dst-empty-name', '`tag::443` has no name', { tagOwners: { 'tag:web': [] }, acls: [{ action: 'accept', src: ['tag:web'], dst: ['tag::443'] }] })
policy('tags', 'owner-is-ip', 'an IP cannot own a tag', { tagOwners: { 'tag:web': ['100.64.0.1'] } })
policy('tags', 'owner-is-internet', '`autogroup:internet` cannot own a tag', { tagOwners: { 'tag:web': ['autogroup:internet'] } })

// ── ports ────────────────────────────────────────────────────────────────────────────────
const badPorts = ['70000', '65536', '-1', '1-', '-', '-5', '0', '90-80', 'ssh', '', '1,,2', '80,', '*-5', '5-*', '99999999999999999999', '1e3', '0x50', '80.0', '22 ', ' 22', '1-2-3', '٣٣']
badPorts.forEach((ports, i) => variant('ports', `acl-dst-${String(i).padStart(2, '0')}`, `port \`${ports}\` is not a port, a list or a range`, ['acls', 0, 'dst', 0], `tag:web:${ports}`))
const badGrantIp = ['icmp', 'tcp:', 'tcp:0', 'tcp:70000', 'foo:80', 'tcp:80:90', ':80', 'icmp:22', 'tcp:-1', '256:*', '0:*', '06:*', 'tcp:1-']
badGrantIp.forEach((ip, i) => variant('ports', `grant-ip-${String(i).padStart(2, '0')}`, `grant ip \`${ip}\` is malformed`, ['grants', 0, 'ip', 0], ip))
const badProto = ['*', '0', '256', '06', 'bogus', '-6', '1.5']
badProto.forEach((proto, i) => variant('ports', `acl-proto-${i}`, `proto \`${proto}\` is not a protocol`, ['acls', 0, 'proto'], proto))

// ── CIDRs and addresses ──────────────────────────────────────────────────────────────────
const badAddresses = ['10.0.0.0/33', '10.0.0.256/24', '1.2.3/24', '::/129', 'fd7a::1/abc', '10.0.0.0/-1', '1.2.3.4.5', '10.0.0.1/', '/24', '300.1.1.1', 'fd7a:::1', '[fd7a::1]', '10.0.0.1-10.0.0.0', 'not an address']
badAddresses.forEach((address, i) => variant('cidrs', `host-${String(i).padStart(2, '0')}`, `host value \`${address}\` is not an IP or CIDR`, ['hosts', 'nas'], address))
variant('cidrs', 'acl-dst-bad-cidr', 'dst CIDR has a prefix length above 32', ['acls', 0, 'dst', 0], '10.0.0.0/40:22')
variant('cidrs', 'acl-dst-bracketed-ipv4', 'square brackets are only valid around IPv6 addresses', ['acls', 0, 'dst', 0], '[10.0.0.1]:22')
variant('cidrs', 'grant-dst-default-route-v4', 'grant dst 0.0.0.0/0 must be spelled `*` or `autogroup:internet`', ['grants', 0, 'dst', 0], '0.0.0.0/0')
variant('cidrs', 'grant-dst-default-route-v6', 'grant dst ::/0 must be spelled `*` or `autogroup:internet`', ['grants', 0, 'dst', 0], '::/0')
variant('cidrs', 'ipset-bad-cidr', 'ipset entry is not an address', ['ipsets', 'ipset:lab', 0], '10.9.0.0/99')
variant('cidrs', 'auto-approvers-route-not-cidr', 'autoApprovers route is not a CIDR', ['autoApprovers', 'routes'], { 'ten-net': ['tag:router'] })
variant('cidrs', 'node-attrs-target-garbage', 'nodeAttrs target is not an address', ['nodeAttrs', 0, 'target', 0], '%bogus%')
variant('cidrs', 'node-attrs-ip-pool-reserved', 'ipPool inside the reserved range', ['nodeAttrs', 0], { target: ['tag:router'], ipPool: ['100.100.100.0/24'] })

// ── huge numbers and odd scalars ─────────────────────────────────────────────────────────
const numbers: Record<string, string> = {
  'huge-exponent-as-port': '{"tagOwners": {"tag:web": []}, "acls": [{"action": "accept", "src": ["*"], "dst": ["tag:web:1e400"]}]}\n',
  'huge-number-as-host': '{"hosts": {"nas": 1e400}}\n',
  'huge-integer-as-proto': '{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:22"], "proto": 123456789012345678901234567890}]}\n',
  'negative-zero-as-group': '{"groups": {"group:eng": -0}}\n',
  'huge-number-as-disable-ipv4': '{"disableIPv4": 1e308}\n',
  'huge-number-in-test-port': '{"tagOwners": {"tag:web": []}, "tests": [{"src": "tag:web", "accept": ["tag:web:123456789012345678901234567890"]}]}\n',
  'thousand-digit-number': `{"randomizeClientPort": ${'9'.repeat(1000)}}\n`,
  'tiny-exponent': '{"disableIPv4": 1e-400}\n',
}
for (const [name, text] of Object.entries(numbers)) write('numbers', name, text)

// ── nesting (the 100k-deep ones are built at test time) ─────────────────────────────────
const deep = (depth: number, open: string, close: string, inner: string): string => open.repeat(depth) + inner + close.repeat(depth)
write('nesting', 'arrays-1000-deep-in-src', `{"acls": [{"action": "accept", "src": ${deep(1000, '[', ']', '"*"')}, "dst": ["*:*"]}]}\n`)
write('nesting', 'objects-1000-deep-top-level', `{"derpMap": ${deep(1000, '{"a":', '}', '1')}}\n`)
write('nesting', 'arrays-2000-deep-in-app-params', `{"grants": [{"src": ["*"], "dst": ["*"], "app": {"example.com/cap/x": [${deep(2000, '[', ']', '')}]}}]}\n`)
write('nesting', 'arrays-5000-deep-unclosed', deep(5000, '[', '', ''))
write('nesting', 'mixed-3000-deep-as-group-member', `{"groups": {"group:eng": [${deep(1500, '[{"x":', '}]', '1')}]}}\n`)

// ── groups: cycles and forbidden members ─────────────────────────────────────────────────
policy('groups', 'two-group-cycle', 'groups that contain each other', { groups: { 'group:a': ['group:b'], 'group:b': ['group:a'] } })
policy('groups', 'self-reference', 'a group that contains itself', { groups: { 'group:a': ['group:a', 'alice@example.com'] } })
policy('groups', 'three-group-cycle', 'a cycle through three groups', { groups: { 'group:a': ['group:b'], 'group:b': ['group:c'], 'group:c': ['group:a'] } })
policy('groups', 'nested-group', 'groups cannot contain groups', { groups: { 'group:outer': ['group:inner'], 'group:inner': ['alice@example.com'] } })
policy('groups', 'tag-as-member', 'a tag is not a group member', { tagOwners: { 'tag:web': [] }, groups: { 'group:eng': ['tag:web'] } })
policy('groups', 'wildcard-as-member', '`*` is not a group member', { groups: { 'group:eng': ['*'] } })
policy('groups', 'ip-as-member', 'an IP is not a group member', { groups: { 'group:eng': ['100.64.0.1'] } })
policy('groups', 'name-without-prefix', 'group names start with `group:`', { groups: { eng: ['alice@example.com'] } })
policy('groups', 'autogroup-self-as-member', '`autogroup:self` is not a group member', { groups: { 'group:eng': ['autogroup:self'] } })

// ── ssh: forbidden combinations ──────────────────────────────────────────────────────────
const ssh: [string, string, Json][] = [
  ['action-deny', 'ssh action deny', { action: 'deny', src: ['group:eng'], dst: ['tag:web'], users: ['root'] }],
  ['action-capitalised', 'ssh action is case-sensitive', { action: 'Accept', src: ['group:eng'], dst: ['tag:web'], users: ['root'] }],
  ['action-missing', 'ssh action missing', { src: ['group:eng'], dst: ['tag:web'], users: ['root'] }],
  ['action-empty', 'ssh action empty', { action: '', src: ['group:eng'], dst: ['tag:web'], users: ['root'] }],
  ['users-missing', 'ssh users missing', { action: 'accept', src: ['group:eng'], dst: ['tag:web'] }],
  ['users-empty', 'ssh users empty', { action: 'accept', src: ['group:eng'], dst: ['tag:web'], users: [] }],
  ['users-null', 'ssh users null', { action: 'accept', src: ['group:eng'], dst: ['tag:web'], users: null }],
  ['user-wildcard', 'ssh user `*`', { action: 'accept', src: ['group:eng'], dst: ['tag:web'], users: ['*'] }],
  ['user-empty-string', 'ssh user ``', { action: 'accept', src: ['group:eng'], dst: ['tag:web'], users: [''] }],
  ['dst-wildcard', 'ssh dst `*`', { action: 'accept', src: ['group:eng'], dst: ['*'], users: ['root'] }],
  ['dst-ip', 'ssh dst an IP', { action: 'accept', src: ['group:eng'], dst: ['100.64.0.1'], users: ['root'] }],
  ['dst-host-alias', 'ssh dst a host alias', { action: 'accept', src: ['group:eng'], dst: ['nas'], users: ['root'] }],
  ['dst-internet', 'ssh dst autogroup:internet', { action: 'accept', src: ['group:eng'], dst: ['autogroup:internet'], users: ['root'] }],
  ['dst-with-port', 'ssh dst carries a port', { action: 'accept', src: ['group:eng'], dst: ['tag:web:22'], users: ['root'] }],
  ['src-self', 'ssh src autogroup:self', { action: 'accept', src: ['autogroup:self'], dst: ['tag:web'], users: ['root'] }],
  ['src-internet', 'ssh src autogroup:internet', { action: 'accept', src: ['autogroup:internet'], dst: ['tag:web'], users: ['root'] }],
  ['src-ip', 'ssh src an IP', { action: 'accept', src: ['100.64.0.1'], dst: ['tag:web'], users: ['root'] }],
  ['self-dst-from-tag', 'tagged sources cannot reach autogroup:self', { action: 'accept', src: ['tag:web'], dst: ['autogroup:self'], users: ['root'] }],
  ['other-users-device', 'one user cannot ssh to another user\'s device', { action: 'accept', src: ['alice@example.com'], dst: ['bob@example.com'], users: ['root'] }],
  ['group-to-user-device', 'a group cannot ssh to one user\'s device', { action: 'accept', src: ['group:eng'], dst: ['alice@example.com'], users: ['root'] }],
  ['check-period-above-max', 'checkPeriod above 168h', { action: 'check', src: ['group:eng'], dst: ['tag:web'], users: ['root'], checkPeriod: '168h0m1s' }],
  ['check-period-negative', 'negative checkPeriod', { action: 'check', src: ['group:eng'], dst: ['tag:web'], users: ['root'], checkPeriod: '-1m' }],
  ['check-period-garbage', 'checkPeriod not a duration', { action: 'check', src: ['group:eng'], dst: ['tag:web'], users: ['root'], checkPeriod: 'abc' }],
  ['accept-env-empty', 'acceptEnv entry empty', { action: 'accept', src: ['group:eng'], dst: ['tag:web'], users: ['root'], acceptEnv: [''] }],
  ['localpart-foreign-domain', 'localpart for a domain of another tailnet', { action: 'accept', src: ['group:eng'], dst: ['tag:web'], users: ['localpart:*@*'] }],
]
for (const [name, why, rule] of ssh) variant('ssh', name, why, ['ssh', 0], rule)

// ── acls and grants: forbidden combinations ──────────────────────────────────────────────
const rules: [string, string, Path, Json][] = [
  ['acl-action-deny', 'ACL action other than accept', ['acls', 0, 'action'], 'deny'],
  ['acl-action-empty', 'ACL action empty', ['acls', 0, 'action'], ''],
  ['acl-self-in-src', '`autogroup:self` on the src side', ['acls', 0, 'src', 0], 'autogroup:self'],
  ['acl-dst-without-port', 'ACL dst without a port', ['acls', 0, 'dst', 0], 'autogroup:self'],
  ['acl-dst-bare-tag', 'ACL dst tag without a port', ['acls', 0, 'dst', 0], 'tag:web'],
  ['acl-tag-to-self', 'a tag source cannot reach autogroup:self', ['acls', 0], { action: 'accept', src: ['tag:web'], dst: ['autogroup:self:*'] }],
  ['acl-legacy-and-new-fields', 'both `users` and `src`', ['acls', 0], { action: 'accept', src: ['group:eng'], users: ['group:eng'], dst: ['tag:web:443'] }],
  ['grant-neither-ip-nor-app', 'a grant with neither ip nor app', ['grants', 0], { src: ['tag:web'], dst: ['tag:db'] }],
  ['grant-empty-ip-and-app', 'a grant with empty ip and app', ['grants', 0], { src: ['tag:web'], dst: ['tag:db'], ip: [], app: {} }],
  ['grant-via-not-tag', 'via names a group', ['grants', 0, 'via'], ['group:eng']],
  ['grant-app-with-scheme', 'capability name with a URL scheme', ['grants', 0, 'app'], { 'https://example.com/cap/x': [{}] }],
  ['grant-app-tailscale-domain', 'capability in the tailscale.com domain', ['grants', 0, 'app'], { 'tailscale.com/cap/secret-sauce': [{}] }],
  ['grant-app-to-internet', 'app grant to autogroup:internet', ['grants', 0], { src: ['group:eng'], dst: ['autogroup:internet'], app: { 'example.com/cap/x': [{}] } }],
  ['grant-danger-all-dst', 'autogroup:danger-all as a destination', ['grants', 0, 'dst', 0], 'autogroup:danger-all'],
  ['grant-wildcard-to-self', 'grants do not allow `*` to autogroup:self', ['grants', 0], { src: ['*'], dst: ['autogroup:self'], ip: ['*'] }],
  ['grant-dst-with-port', 'grant dst carries a port', ['grants', 0, 'dst', 0], 'tag:db:5432'],
  ['grant-self-in-src', '`autogroup:self` as a grant source', ['grants', 0, 'src', 0], 'autogroup:self'],
]
for (const [name, why, path, value] of rules) variant('rules', name, why, path, value)

// ── DSL modules that misbehave (loaded as code; see SECURITY.md) ─────────────────────────
const dsl: Record<string, [string, string]> = {
  'throws-error': ['ts', "throw new Error('the policy module failed while loading')\nexport default {}\n"],
  'throws-string': ['ts', "throw 'not an Error object'\n"],
  'throws-null': ['ts', 'throw null\n'],
  'exports-nothing': ['ts', "const unused = 'no default export'\nexport { unused }\n"],
  'empty-module': ['ts', 'export {}\n'],
  'default-export-number': ['ts', 'export default 42\n'],
  'default-export-string': ['ts', "export default 'policy.hujson'\n"],
  'default-export-null': ['ts', 'export default null\n'],
  'default-export-array': ['ts', "export default [{ action: 'accept', src: ['*'], dst: ['*:*'] }]\n"],
  'default-export-function': ['ts', 'export default function policy(): void {}\n'],
  'default-export-raw-wire-object': ['ts', "export default { acls: 'not a list' }\n"],
  'default-export-rejected-promise': ['ts', "export default Promise.reject(new Error('async policy failed'))\n"],
  'top-level-await-rejects': ['ts', "await Promise.reject(new Error('could not fetch the inventory'))\nexport default {}\n"],
  'getter-throws': ['ts', "export default { get acls(): never { throw new Error('getter exploded') } }\n"],
  'syntax-error': ['js', 'export default {\n  acls: [\n'],
  'imports-missing-module': ['js', "import { nothing } from './does-not-exist.js'\nexport default nothing\n"],
  'imports-missing-package': ['js', "import thing from 'no-such-package-for-tailor'\nexport default thing\n"],
}
for (const [name, [extension, source]] of Object.entries(dsl)) write('dsl', name, `// bad input: a policy module that ${name.replaceAll('-', ' ')}\n${source}`, extension)

const counts = new Map<string, number>()
for (const file of written) {
  const category = file.slice(root.length + 1).split('/')[0]!
  counts.set(category, (counts.get(category) ?? 0) + 1)
}
process.stdout.write(`${written.length} files: ${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}\n`)
