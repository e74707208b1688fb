import * as pulumi from '@pulumi/pulumi'
import { beforeAll, beforeEach } from 'vitest'

/** A resource the program under test declared, as Pulumi's engine would have received it. */
export interface Registered {
  readonly type: string
  readonly name: string
  readonly inputs: Record<string, unknown>
}

/**
 * Runs the test file's Pulumi programs against mocks, with no engine, CLI or provider plugin: each
 * resource is recorded (and echoed back as its state) in the returned list, emptied before each test.
 */
export function recordPulumiResources(stack: string): Registered[] {
  const registered: Registered[] = []
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> })
          return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }
        },
        call: (args) => args.inputs as Record<string, unknown>,
      },
      'tailor',
      stack,
      true,
    )
  })
  beforeEach(() => {
    registered.splice(0)
  })
  return registered
}
