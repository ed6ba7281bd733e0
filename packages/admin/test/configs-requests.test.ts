import { InvalidConfigError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { AdminPartialFailureError } from '../src/admin-error.js'
import { authorizedOperations } from '../src/authorized-operations.js'
import { incrementalAlterConfigs } from '../src/configs/alter-configs.js'
import { configSourceName, configTypeName, resourceEntry } from '../src/configs/config-entry.js'
import { checkResource } from '../src/configs/config-resources.js'
import { describeConfigs } from '../src/configs/describe-configs.js'
import { scriptedRouter } from './support/scripted-router.js'

describe('config vocabulary', () => {
  it("names sources, types and resources as Java's admin client does", () => {
    expect([1, 2, 3, 4, 5, 99].map(configSourceName)).toEqual([
      'DYNAMIC_TOPIC_CONFIG',
      'DYNAMIC_BROKER_CONFIG',
      'DYNAMIC_DEFAULT_BROKER_CONFIG',
      'STATIC_BROKER_CONFIG',
      'DEFAULT_CONFIG',
      'UNKNOWN',
    ])
    expect([1, 5, 7, 9, 0].map(configTypeName)).toEqual(['BOOLEAN', 'LONG', 'LIST', 'PASSWORD', 'UNKNOWN'])
    expect(resourceEntry('topic', 'orders')).toBe('TOPIC:orders')
    expect(resourceEntry('broker-logger', '1')).toBe('BROKER_LOGGER:1')
    expect(authorizedOperations(-2147483648)).toBeUndefined()
  })

  it('routes broker resources to their broker and the rest to any broker', () => {
    const allowed = ['type', 'name']
    expect(checkResource({ type: 'broker', name: '2' }, 'r', allowed)).toMatchObject({ typeCode: 4, broker: 2 })
    expect(checkResource({ type: 'broker', name: '' }, 'r', allowed)).toMatchObject({ broker: undefined })
    expect(checkResource({ type: 'topic', name: 'orders' }, 'r', allowed)).toMatchObject({
      typeCode: 2,
      broker: undefined,
    })
    expect(() => checkResource({ type: 'topic', name: '' }, 'r', allowed)).toThrow(/must name the topic/)
  })
})

describe('describeConfigs and incrementalAlterConfigs', () => {
  it('send one request per destination and report each resource on its own', async () => {
    const { router, sent } = scriptedRouter(({ api, body }) => {
      const resources = (body as { resources: { resourceType: number; resourceName: string }[] }).resources
      if (api === 'DescribeConfigs') {
        return {
          throttleTimeMs: 0,
          results: resources.map((r) => ({ errorCode: 0, errorMessage: '', ...r, configs: [] })),
        }
      }
      return {
        throttleTimeMs: 0,
        responses: resources.map((r) =>
          r.resourceName === 'bad'
            ? { errorCode: 40, errorMessage: 'Unknown topic config name: retention.msec', ...r }
            : { errorCode: 0, errorMessage: null, ...r },
        ),
      }
    })
    await describeConfigs(router, {
      resources: [
        { type: 'broker', name: '2' },
        { type: 'topic', name: 'a' },
        { type: 'broker', name: '' },
      ],
    })
    expect(sent.map((r) => [r.broker, (r.body as { resources: unknown[] }).resources.length])).toEqual([
      [2, 1],
      [-1, 2],
    ])
    const error = await incrementalAlterConfigs(router, {
      resources: [
        { type: 'topic', name: 'bad', configEntries: [{ name: 'retention.msec', value: '1' }] },
        {
          type: 'topic',
          name: 'good',
          configEntries: [{ name: 'cleanup.policy', value: 'compact', operation: 'append' }],
        },
      ],
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AdminPartialFailureError)
    const failure = error as AdminPartialFailureError
    expect(failure.failures[0]!.entry).toBe('TOPIC:bad')
    expect(failure.failures[0]!.error).toBeInstanceOf(InvalidConfigError)
    expect(failure.failures[0]!.error.message).toContain('retention.msec')
    expect(failure.succeeded).toEqual([{ resourceType: 'topic', resourceName: 'good' }])
    expect((sent.at(-1)!.body as { resources: { configs: unknown[] }[] }).resources[1]!.configs).toEqual([
      { name: 'cleanup.policy', value: 'compact', configOperation: 2 },
    ])
  })
})
