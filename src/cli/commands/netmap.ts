import type { Argv } from 'yargs'
import type { FilterMatch, Netmap } from '../../analyze/netmap.js'
import type { SshRuleOut } from '../../analyze/ssh-rules.js'
import type { TailorCommand } from '../command.js'
import { jsonOption, nodesOption, policyOption } from '../policy-input.js'

interface NetmapArgs {
  readonly policy: string
  readonly nodes: string | undefined
  readonly node: string | undefined
  readonly json: boolean
}

export const command: TailorCommand<NetmapArgs> = {
  command: 'netmap',
  describe: 'show the packet filter and SSH rules Tailscale would send each device',
  builder: (yargs: Argv) =>
    yargs
      .option('policy', policyOption)
      .option('nodes', nodesOption)
      .option('node', { type: 'string', requiresArg: true, describe: 'only this device (its name in the inventory)' })
      .option('json', { ...jsonOption, describe: 'print {"filters": {node: [match]}, "ssh": {node: [rule]}}' })
      .example('$0 netmap --nodes policy/nodes.json --node web-1', 'what web-1 accepts') as unknown as Argv<NetmapArgs>,
  async run(args, { terminal, cwd }) {
    const [{ loadPolicyOnDevices }, print, { netmap }, { didYouMean }] = await Promise.all([
      import('../policy-on-devices.js'),
      import('../print.js'),
      import('../../analyze/netmap.js'),
      import('../../model/did-you-mean.js'),
    ])
    const loaded = await loadPolicyOnDevices(args, { terminal, cwd })
    if (typeof loaded === 'number') return loaded
    const { policy, inventory } = loaded
    const map = netmap(policy, inventory)
    let shown: Netmap = map
    if (args.node !== undefined) {
      const node = args.node
      if (!(node in map.filters)) {
        const names = Object.keys(map.filters).sort()
        const guess = didYouMean(node, names)
        const known = guess ? `did you mean \`${guess}\`?` : `devices: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`
        print.printError(terminal, `tailor: no device \`${node}\` in ${args.nodes ?? 'the made-up inventory'}\n  → ${known}`)
        return 2
      }
      shown = { filters: { [node]: map.filters[node] ?? [] }, ssh: { [node]: map.ssh[node] ?? [] } }
    }
    if (args.json) {
      print.printJson(terminal, shown)
      return 0
    }
    if (!loaded.realDevices) print.printText(terminal, '(no --nodes: one made-up device per name the policy uses)\n')
    const { protocolName } = await import('../../analyze/describe-access.js')
    for (const name of Object.keys(shown.filters).sort()) {
      const node = inventory.nodes.find((n) => n.name === name)
      const owner = node?.tags.length ? node.tags.join(', ') : node?.user ?? ''
      print.printText(terminal, `${name}${owner && owner !== name ? ` (${owner})` : ''}`)
      print.printText(terminal, renderDevice(shown.filters[name] ?? [], shown.ssh[name] ?? [], protocolName))
    }
    return 0
  },
}

function renderDevice(filters: readonly FilterMatch[], ssh: readonly SshRuleOut[], protocolName: (proto: number) => string): string {
  const lines: string[] = []
  if (filters.length === 0 && ssh.length === 0) lines.push('  accepts nothing')
  for (const match of filters) {
    const what = match.caps?.length ? `app ${[...new Set(match.caps.map((c) => c.Cap))].join(', ')}` : match.proto.map(protocolName).join(',')
    const ports = [...new Set(match.dst.map((d) => portsText(d.ports)))]
    const to = ports.length === 1 ? `${match.dst.map((d) => address(d.net)).join(', ')} port ${ports[0]}` : match.dst.map((d) => `${address(d.net)} port ${portsText(d.ports)}`).join(', ')
    lines.push(`  accept ${what} from ${match.src.map(address).join(', ')} to ${to}`)
  }
  for (const rule of ssh) {
    const mode = 'accept' in rule.action ? 'ssh' : 'ssh (check)'
    const users = Object.entries(rule.sshUsers).map(([login, local]) => (login === local ? login : `${login}→${local || 'refused'}`))
    lines.push(`  ${mode} from ${rule.principals.map((p) => p.nodeIP).join(', ')} as ${users.join(', ')}`)
  }
  return lines.join('\n')
}

// one device is an address, not a network: `100.64.0.5`, not `100.64.0.5/32`
function address(net: string): string {
  return net.replace(/\/(32|128)$/, (suffix, bits: string) => ((bits === '32') === !net.includes(':') ? '' : suffix))
}

function portsText([first, last]: readonly [number, number]): string {
  if (first === 0 && last === 65535) return '*'
  return first === last ? String(first) : `${first}-${last}`
}
