import { createAlterConfigsRequest } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import {
  APPEND,
  alterConfigs,
  alterIncrementally,
  byName,
  createTopic,
  DELETE,
  describeConfigs,
  freshTopic,
  SET,
  SUBTRACT,
  TOPIC,
  useAdminCluster,
} from './support/admin.js'

const cluster = useAdminCluster()

function topicState(name: string) {
  return cluster.kafka.control.state.topics.get(name)!
}

describe('IncrementalAlterConfigs of a topic', () => {
  it('sets and deletes values', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    expect(
      await alterIncrementally(cluster.client, 1, TOPIC, name, [
        { name: 'retention.ms', configOperation: SET, value: '1000' },
        { name: 'max.message.bytes', configOperation: SET, value: '2000000' },
      ]),
    ).toMatchObject({ errorCode: 0, errorMessage: null, resourceName: name })
    expect(Object.fromEntries(topicState(name).configs)).toEqual({
      'retention.ms': '1000',
      'max.message.bytes': '2000000',
    })
    await alterIncrementally(cluster.client, 1, TOPIC, name, [
      { name: 'retention.ms', configOperation: DELETE, value: null },
    ])
    expect(Object.fromEntries(topicState(name).configs)).toEqual({ 'max.message.bytes': '2000000' })
  })

  it('appends to and subtracts from list configs, starting from the default when unset', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    const policy = async () =>
      byName(await describeConfigs(cluster.client, 1, TOPIC, name, { keys: ['cleanup.policy'] })).get('cleanup.policy')
        ?.value
    await alterIncrementally(cluster.client, 1, TOPIC, name, [
      { name: 'cleanup.policy', configOperation: APPEND, value: 'compact' },
    ])
    expect(await policy()).toBe('delete,compact')
    await alterIncrementally(cluster.client, 1, TOPIC, name, [
      { name: 'cleanup.policy', configOperation: APPEND, value: 'compact' },
    ])
    expect(await policy()).toBe('delete,compact')
    await alterIncrementally(cluster.client, 1, TOPIC, name, [
      { name: 'cleanup.policy', configOperation: SUBTRACT, value: 'delete' },
    ])
    expect(await policy()).toBe('compact')
    expect(
      await alterIncrementally(cluster.client, 1, TOPIC, name, [
        { name: 'cleanup.policy', configOperation: APPEND, value: 'shred' },
      ]),
    ).toMatchObject({
      errorCode: 40,
      errorMessage: 'Invalid value shred for configuration cleanup.policy: String must be one of: compact, delete',
    })
    expect(
      await alterIncrementally(cluster.client, 1, TOPIC, name, [
        { name: 'retention.ms', configOperation: APPEND, value: '1' },
      ]),
    ).toMatchObject({
      errorCode: 40,
      errorMessage: "Can't APPEND to key retention.ms because its type is not LIST.",
    })
  })

  it('changes nothing with validateOnly, or when any change of the resource is refused', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    expect(
      await alterIncrementally(
        cluster.client,
        1,
        TOPIC,
        name,
        [{ name: 'retention.ms', configOperation: SET, value: '5' }],
        true,
      ),
    ).toMatchObject({ errorCode: 0 })
    expect(
      await alterIncrementally(cluster.client, 1, TOPIC, name, [
        { name: 'retention.ms', configOperation: SET, value: '5' },
        { name: 'retention.bytes', configOperation: SET, value: 'lots' },
      ]),
    ).toMatchObject({ errorCode: 40 })
    expect(topicState(name).configs.size).toBe(0)
  })

  it('answers malformed requests and missing topics as Kafka does', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    const cases: [string, { name: string; configOperation: number; value: string | null }[], number, string][] = [
      [
        name,
        [{ name: 'retention.ms', configOperation: SET, value: null }],
        42,
        'Null value not supported for : retention.ms',
      ],
      [
        name,
        [
          { name: 'retention.ms', configOperation: SET, value: '1' },
          { name: 'retention.ms', configOperation: DELETE, value: null },
        ],
        42,
        'Error due to duplicate config keys',
      ],
      [
        name,
        [{ name: 'retention.weeks', configOperation: SET, value: '1' }],
        40,
        'Unknown topic config name: retention.weeks',
      ],
      [
        name,
        [{ name: 'remote.storage.enable', configOperation: SET, value: 'true' }],
        40,
        'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.',
      ],
      [
        'never-created',
        [{ name: 'retention.ms', configOperation: SET, value: '1' }],
        3,
        "The topic 'never-created' does not exist.",
      ],
      ['', [], 42, 'Default topic resources are not allowed.'],
    ]
    for (const [resourceName, configs, errorCode, errorMessage] of cases) {
      expect(await alterIncrementally(cluster.client, 2, TOPIC, resourceName, configs)).toMatchObject({
        errorCode,
        errorMessage,
      })
    }
    expect(topicState(name).configs.size).toBe(0)
  })
})

describe('AlterConfigs of a topic', () => {
  it('replaces every config the topic sets with the ones given', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name, { configs: [{ name: 'cleanup.policy', value: 'compact' }] })
    expect(await alterConfigs(cluster.client, 1, TOPIC, name, [{ name: 'retention.ms', value: '5000' }])).toMatchObject(
      { errorCode: 0 },
    )
    expect(Object.fromEntries(topicState(name).configs)).toEqual({ 'retention.ms': '5000' })
    expect(await alterConfigs(cluster.client, 1, TOPIC, name, [{ name: 'retention.ms', value: 'x' }])).toMatchObject({
      errorCode: 40,
      errorMessage: 'Invalid value x for configuration retention.ms: Not a number of type LONG',
    })
  })

  it('refuses a resource named twice', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    const body = createAlterConfigsRequest({
      resources: [
        { resourceType: TOPIC, resourceName: name, configs: [] },
        { resourceType: TOPIC, resourceName: name, configs: [] },
      ],
    })
    const { responses } = await cluster.client.cluster.request(1, 'AlterConfigs', body)
    expect(responses.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [42, 'Each resource must appear at most once.'],
      [42, 'Each resource must appear at most once.'],
    ])
  })
})
