import type { Argv } from 'yargs'
import type { TailorCommand } from '../command.js'

interface PullArgs {
  readonly out: string | undefined
  readonly devices: string | undefined
  readonly json: boolean
}

export const command: TailorCommand<PullArgs> = {
  command: 'pull',
  describe: "download the tailnet's live policy file (HuJSON, comments kept) and optionally its devices as a node inventory",
  builder: (yargs: Argv) =>
    yargs
      .option('out', { type: 'string', describe: 'write the policy here (and its ETag to <out>.etag) instead of printing it' })
      .option('devices', { type: 'string', describe: 'also save the devices as an inventory for `tailor netmap --nodes` (default file: nodes.json)' })
      .option('json', { type: 'boolean', default: false, describe: 'print {"policy", "etag"} as JSON' })
      .example('tailor pull --out live.hujson', 'save the live policy file')
      .example('tailor pull --devices nodes.json --out live.hujson', 'save the policy and the devices') as unknown as Argv<PullArgs>,
  async run(args, { terminal, cwd }) {
    const { resolve } = await import('node:path')
    const { connectTailnet } = await import('../tailnet-api.js')
    const { inventoryFromDevices } = await import('../../io/device-inventory.js')
    const { writeFileAtomic } = await import('../../io/write-file-atomic.js')
    const { printError, printJson } = await import('../print.js')
    const { settings, api, failed } = await connectTailnet({ terminal, cwd })
    const live = await api.getPolicy()
    if (!live.ok) return failed(live.problem)
    if (args.devices !== undefined) {
      const devices = await api.listDevices()
      if (!devices.ok) return failed(devices.problem)
      const file = resolve(cwd, args.devices === '' ? 'nodes.json' : args.devices)
      await writeFileAtomic(file, `${JSON.stringify(inventoryFromDevices(settings.tailnet, devices.value), null, 2)}\n`)
      printError(terminal, `saved ${devices.value.length} devices to ${file}`)
    }
    if (args.out !== undefined) {
      const file = resolve(cwd, args.out)
      await writeFileAtomic(file, live.value.text)
      if (live.value.etag) await writeFileAtomic(`${file}.etag`, `${live.value.etag}\n`)
      printError(terminal, `saved the live policy to ${file}${live.value.etag ? ` (ETag ${live.value.etag})` : ''}`)
    } else if (args.json) {
      printJson(terminal, { policy: live.value.text, etag: live.value.etag ?? null })
    } else {
      // stdout is the file itself, so it can be redirected; the ETag goes beside it
      terminal.out(live.value.text)
      if (live.value.etag) printError(terminal, `ETag ${live.value.etag}`)
    }
    return 0
  },
}
