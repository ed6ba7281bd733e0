import { ZERO_UUID } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { creatable, createTopic, createTopics, freshTopic, useAdminCluster } from './support/admin.js'

const cluster = useAdminCluster({ defaultPartitions: 2 })

function state(name: string) {
  return cluster.kafka.control.state.topics.get(name)
}

describe('CreateTopics', () => {
  it('creates a topic with the cluster defaults when partitions and replication factor are -1', async () => {
    const name = freshTopic()
    const [result] = (await createTopics(cluster.client, [creatable(name)])).topics
    expect(result).toMatchObject({ name, errorCode: 0, errorMessage: null, numPartitions: 2, replicationFactor: 3 })
    expect(result?.topicId).toBe(state(name)?.topicId)
    expect(state(name)?.partitions.map((p) => p.replicas.length)).toEqual([3, 3])
  })

  it('returns every config of the new topic from v5, with the ones it set as given', async () => {
    const name = freshTopic()
    const configs = [{ name: 'retention.ms', value: ' 5000 ' }]
    const [result] = (await createTopics(cluster.client, [creatable(name, { numPartitions: 1, configs })])).topics
    const byName = new Map(result?.configs?.map((config) => [config.name, config]))
    expect(byName.size).toBe(33)
    expect(byName.get('retention.ms')).toMatchObject({ value: ' 5000 ', configSource: 1, readOnly: false })
    expect(byName.get('cleanup.policy')).toMatchObject({ value: 'delete', configSource: 5 })
    expect(byName.get('min.insync.replicas')).toMatchObject({ value: '1', configSource: 3 })
    expect(state(name)?.configs.get('retention.ms')).toBe(' 5000 ')
  })

  it('answers older versions without the v5 fields', async () => {
    const name = freshTopic()
    const [result] = (await createTopics(cluster.client, [creatable(name, { numPartitions: 1 })], { version: 4 }))
      .topics
    expect(result).toMatchObject({ name, errorCode: 0, topicId: ZERO_UUID, numPartitions: -1, configs: [] })
    expect(state(name)).toBeDefined()
  })

  it('places replicas where a manual assignment says, the first live one leading', async () => {
    const name = freshTopic()
    const assignments = [
      { partitionIndex: 1, brokerIds: [3, 1] },
      { partitionIndex: 0, brokerIds: [2, 3] },
    ]
    const [result] = (await createTopics(cluster.client, [creatable(name, { assignments })])).topics
    expect(result).toMatchObject({ errorCode: 0, numPartitions: 2, replicationFactor: 2 })
    expect(state(name)?.partitions.map((p) => [p.replicas, p.leader])).toEqual([
      [[2, 3], 2],
      [[3, 1], 3],
    ])
  })

  it('validates without creating anything when validateOnly is set', async () => {
    const name = freshTopic()
    const [result] = (
      await createTopics(cluster.client, [creatable(name, { numPartitions: 4 })], { validateOnly: true })
    ).topics
    expect(result).toMatchObject({ name, errorCode: 0, numPartitions: 4, replicationFactor: 3 })
    expect(result?.topicId).not.toBe(ZERO_UUID)
    expect(state(name)).toBeUndefined()
  })

  it('refuses bad requests topic by topic, with Kafka error codes and messages', async () => {
    const existing = freshTopic('exists.here')
    await createTopic(cluster.client, existing)
    const t = () => freshTopic()
    const cases: [ReturnType<typeof creatable>, number, string | RegExp][] = [
      [creatable('bad name!'), 17, /^Topic name is invalid: /],
      [creatable(existing), 36, `Topic '${existing}' already exists.`],
      [
        creatable(existing.replaceAll('.', '_')),
        17,
        `Topic '${existing.replaceAll('.', '_')}' collides with existing topic: ${existing}`,
      ],
      [creatable(t(), { numPartitions: 0 }), 37, 'Number of partitions was set to an invalid non-positive value.'],
      [
        creatable(t(), { replicationFactor: 0 }),
        38,
        'Replication factor must be larger than 0, or -1 to use the default value.',
      ],
      [
        creatable(t(), { replicationFactor: 4 }),
        38,
        'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
      ],
      [
        creatable(t(), { configs: [{ name: 'retention.ms', value: 'soon' }] }),
        40,
        'Invalid value soon for configuration retention.ms: Not a number of type LONG',
      ],
      [
        creatable(t(), { configs: [{ name: 'retention.weeks', value: '1' }] }),
        40,
        'Unknown topic config name: retention.weeks',
      ],
      [
        creatable(t(), { configs: [{ name: 'retention.ms', value: null }] }),
        40,
        'Null value not supported for topic configs: retention.ms',
      ],
      [
        creatable(t(), { configs: [{ name: 'cleanup.policy', value: 'compact,shred' }] }),
        40,
        'Invalid value shred for configuration cleanup.policy: String must be one of: compact, delete',
      ],
      [
        creatable(t(), { numPartitions: 2, assignments: [{ partitionIndex: 0, brokerIds: [1] }] }),
        42,
        /numPartitions was not set to -1/,
      ],
      [
        creatable(t(), { assignments: [{ partitionIndex: 0, brokerIds: [1, 9] }] }),
        39,
        /includes broker 9, but no such broker is registered/,
      ],
      [
        creatable(t(), { assignments: [{ partitionIndex: 0, brokerIds: [2, 2] }] }),
        39,
        /includes the broker 2 more than once/,
      ],
      [
        creatable(t(), { assignments: [{ partitionIndex: 1, brokerIds: [1] }] }),
        39,
        'partitions should be a consecutive 0-based integer sequence',
      ],
    ]
    const response = await createTopics(
      cluster.client,
      cases.map(([topic]) => topic),
    )
    response.topics.forEach((result, i) => {
      const [topic, errorCode, message] = cases[i]!
      expect(result).toMatchObject({ name: topic.name, errorCode, topicId: ZERO_UUID, numPartitions: -1, configs: [] })
      expect(result.errorMessage).toMatch(message)
    })
    expect(cases.filter(([topic]) => topic.name !== existing).map(([topic]) => state(topic.name))).toEqual(
      cases.slice(1).map(() => undefined),
    )
  })

  it('answers a name given twice once, with INVALID_REQUEST, and creates neither', async () => {
    const name = freshTopic()
    const response = await createTopics(cluster.client, [creatable(name), creatable(name)])
    expect(response.topics).toEqual([
      expect.objectContaining({ name, errorCode: 42, errorMessage: 'Duplicate topic name.' }),
    ])
    expect(state(name)).toBeUndefined()
  })

  it('refuses more than 10 000 new partitions in one request as a policy violation', async () => {
    const names = [freshTopic(), freshTopic()]
    const response = await createTopics(
      cluster.client,
      names.map((name) => creatable(name, { numPartitions: 6000, replicationFactor: 1 })),
    )
    expect(response.topics.map((t) => t.errorCode)).toEqual([44, 44])
    expect(names.map(state)).toEqual([undefined, undefined])
  })

  it('times every topic out without creating it when timeoutMs is 0, as KRaft does', async () => {
    const name = freshTopic()
    const response = await createTopics(cluster.client, [creatable(name)], { timeoutMs: 0 })
    expect(response.topics).toEqual([expect.objectContaining({ name, errorCode: 7 })])
    expect(state(name)).toBeUndefined()
  })

  it('keeps replicas off a stopped broker', async () => {
    await cluster.kafka.control.stopBroker(3)
    try {
      const name = freshTopic()
      const [result] = (
        await createTopics(cluster.client, [creatable(name, { numPartitions: 3, replicationFactor: 2 })])
      ).topics
      expect(result?.errorCode).toBe(0)
      expect(state(name)?.partitions.flatMap((p) => p.replicas)).not.toContain(3)
      const [tooMany] = (await createTopics(cluster.client, [creatable(freshTopic(), { replicationFactor: 3 })])).topics
      expect(tooMany).toMatchObject({ errorCode: 38, errorMessage: expect.stringContaining('only 2 broker(s)') })
    } finally {
      await cluster.kafka.control.startBroker(3)
    }
  })
})
