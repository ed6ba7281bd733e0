import {
  InvalidMessageError,
  InvalidPartitionsError,
  InvalidReplicationFactorError,
  TopicAlreadyExistsError,
  UnknownTopicIdError,
  UnknownTopicOrPartitionError,
} from '@kafkit/protocol'
import { type Admin, Kafka } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partialFailure } from './support/partial-failure.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { waitFor } from './support/wait-for.js'

/**
 * kafka-topics' commands as admin calls (create, list, describe, alter
 * --partitions, delete), against every broker target, on a one-broker cluster.
 * The under-replicated and unavailable filters with a stopped node are in
 * test/failover/admin-topics.test.ts.
 */
const { cluster, skipReason } = await useTestCluster()

describe.skipIf(skipReason !== undefined)(`admin topics against the ${cluster?.target} target`, () => {
  let admin: Admin
  let brokerId: number
  beforeAll(async () => {
    admin = new Kafka({ clientId: 'admin-topics', brokers: cluster!.bootstrapServers }).admin()
    await admin.connect()
    brokerId = admin.client.cluster.metadata.brokers[0]!.nodeId
  })
  afterAll(async () => {
    await admin?.disconnect()
  })

  it('creates a topic with partitions, a replication factor and configs (kafka-topics --create), and describes it', async () => {
    const topic = uniqueTopic('create')
    const [created] = await admin.createTopics({
      topics: [
        { topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
      ],
    })
    expect(created).toMatchObject({ topic, numPartitions: 3, replicationFactor: 1 })
    expect(created!.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(created!.configs.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '3600000',
      configSource: 'DYNAMIC_TOPIC_CONFIG',
    })
    expect(created!.configs.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      value: 'delete',
      configSource: 'DEFAULT_CONFIG',
    })

    const [description] = await admin.describeTopics({ topics: [topic] })
    expect(description).toMatchObject({ name: topic, topicId: created!.topicId, isInternal: false })
    expect(description!.authorizedOperations).toBeUndefined()
    expect(description!.partitions).toEqual(
      [0, 1, 2].map((partition) => ({
        partition,
        leader: brokerId,
        leaderEpoch: expect.any(Number),
        replicas: [brokerId],
        isr: [brokerId],
        offlineReplicas: [],
      })),
    )
    expect(description!.partitions.every((p) => p.leaderEpoch >= 0)).toBe(true)
  })

  it('creates a topic from an explicit replica assignment', async () => {
    const topic = uniqueTopic('assigned')
    const [created] = await admin.createTopics({
      topics: [
        {
          topic,
          replicaAssignment: [
            { partition: 0, replicas: [brokerId] },
            { partition: 1, replicas: [brokerId] },
          ],
        },
      ],
    })
    expect(created).toMatchObject({ topic, numPartitions: 2, replicationFactor: 1 })
    const [description] = await admin.describeTopics({ topics: [topic] })
    expect(description!.partitions.map((p) => p.replicas)).toEqual([[brokerId], [brokerId]])
  })

  it('with validateOnly reports the topic it would create and creates nothing', async () => {
    const topic = uniqueTopic('validate-only')
    const [checked] = await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], validateOnly: true })
    expect(checked).toMatchObject({ topic, numPartitions: 4, replicationFactor: 1 })
    expect(await admin.listTopics()).not.toContain(topic)
    const failure = await partialFailure(admin.describeTopics({ topics: [topic] }))
    expect(failure.failures[0]!.error).toBeInstanceOf(UnknownTopicOrPartitionError)
  })

  it('refuses a replication factor above the broker count with InvalidReplicationFactorError, and creates the other topics of the call', async () => {
    const tooMany = uniqueTopic('rf-too-high')
    const fine = uniqueTopic('rf-fine')
    const failure = await partialFailure(
      admin.createTopics({
        topics: [
          { topic: tooMany, numPartitions: 1, replicationFactor: 3 },
          { topic: fine, numPartitions: 1 },
        ],
      }),
    )
    expect(failure.failures.map((f) => f.entry)).toEqual([tooMany])
    const { error } = failure.failures[0]!
    expect(error).toBeInstanceOf(InvalidReplicationFactorError)
    // Kafka's words: "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered."
    expect(error.message).toMatch(/replication factor of 3 cannot be reached because only 1 broker/)
    expect(error.message).toContain(tooMany)
    expect(failure.succeeded).toEqual([expect.objectContaining({ topic: fine, numPartitions: 1 })])
    expect(failure.authorizationOnly).toBe(false)
    const names = await admin.listTopics()
    expect(names).toContain(fine)
    expect(names).not.toContain(tooMany)
  })

  it('refuses a topic that exists with TopicAlreadyExistsError', async () => {
    const topic = uniqueTopic('exists')
    await admin.createTopics({ topics: [{ topic }] })
    const failure = await partialFailure(admin.createTopics({ topics: [{ topic }] }))
    expect(failure.failures[0]).toMatchObject({ entry: topic })
    expect(failure.failures[0]!.error).toBeInstanceOf(TopicAlreadyExistsError)
  })

  it('fails invalid arguments at the call with a message that says what to change', async () => {
    await expect(admin.createTopics({ topics: [] })).rejects.toThrow(/createTopics topics must be a non-empty array/)
    await expect(
      admin.createTopics({
        topics: [{ topic: 'x', numPartitions: 2, replicaAssignment: [{ partition: 0, replicas: [1] }] }],
      }),
    ).rejects.toThrow(InvalidMessageError)
    await expect(admin.createTopics({ topics: [{ topic: 'x', numPartitons: 2 } as never] })).rejects.toThrow(
      /no option "numPartitons"/,
    )
    await expect(admin.describeTopics({ partitions: 'lagging' as never })).rejects.toThrow(/under-replicated/)
    await expect(admin.deleteTopics({})).rejects.toThrow(/needs topics/)
  })

  it('lists topics (kafka-topics --list), internal ones only when asked', async () => {
    const topic = uniqueTopic('listed')
    await admin.createTopics({ topics: [{ topic }] })
    // A group coordinator lookup makes Kafka create __consumer_offsets; the embedded broker has no internal topics.
    await admin.client.cluster.findCoordinator('group', uniqueTopic('group'))
    const names = await waitFor('the new topic is listed', async () => {
      const listed = await admin.listTopics()
      return listed.includes(topic) ? listed : undefined
    })
    expect(names).not.toContain('__consumer_offsets')
    const listings = await admin.listTopicListings({ listInternal: true })
    expect(listings.find((l) => l.name === topic)).toMatchObject({ isInternal: false })
    expect(listings.filter((l) => !l.isInternal).map((l) => l.name)).toEqual(names)
    if (cluster!.target === 'jar') {
      expect(listings.find((l) => l.name === '__consumer_offsets')).toMatchObject({ isInternal: true })
    }
    expect(await admin.listTopics({ listInternal: false })).toEqual(names)
  })

  it('describes several topics, reporting one that does not exist as UnknownTopicOrPartitionError', async () => {
    const topic = uniqueTopic('described')
    const missing = uniqueTopic('missing')
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })
    const failure = await partialFailure(admin.describeTopics({ topics: [topic, missing] }))
    expect(failure.failures.map((f) => f.entry)).toEqual([missing])
    expect(failure.failures[0]!.error).toBeInstanceOf(UnknownTopicOrPartitionError)
    expect(failure.succeeded).toEqual([expect.objectContaining({ name: topic })])
  })

  it('describes the operations the caller may perform on a topic when asked', async () => {
    const topic = uniqueTopic('operations')
    await admin.createTopics({ topics: [{ topic }] })
    const [description] = await admin.describeTopics({ topics: [topic], includeAuthorizedOperations: true })
    // No authorizer on either target: every topic operation is allowed.
    expect(description!.authorizedOperations).toEqual(
      expect.arrayContaining([
        'READ',
        'WRITE',
        'CREATE',
        'DELETE',
        'ALTER',
        'DESCRIBE',
        'DESCRIBE_CONFIGS',
        'ALTER_CONFIGS',
      ]),
    )
  })

  it('describes all topics when none are named, and filters for under-replicated and unavailable partitions', async () => {
    const topic = uniqueTopic('healthy')
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })
    const all = await admin.describeTopics()
    expect(all.find((t) => t.name === topic)?.partitions).toHaveLength(2)
    // A healthy one-broker cluster has neither, so the filtered answers leave the topic out.
    expect(await admin.describeTopics({ topics: [topic], partitions: 'under-replicated' })).toEqual([])
    expect(await admin.describeTopics({ topics: [topic], partitions: 'unavailable' })).toEqual([])
    expect(await admin.describeTopics({ topics: [topic], partitions: 'all' })).toHaveLength(1)
  })

  it('adds partitions (kafka-topics --alter --partitions), refusing a count that does not grow', async () => {
    const topic = uniqueTopic('grow')
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] })
    expect(await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }], validateOnly: true })).toEqual([
      { topic, count: 5 },
    ])
    expect((await admin.describeTopics({ topics: [topic] }))[0]!.partitions).toHaveLength(1)

    expect(await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] })).toEqual([{ topic, count: 3 }])
    // createPartitions waits until the brokers show the new partitions, so the next calls find them.
    const [grown] = await admin.describeTopics({ topics: [topic] })
    expect(grown!.partitions.map((p) => p.partition)).toEqual([0, 1, 2])
    expect(
      await admin.listOffsets({ partitions: [{ topic, partition: 2, spec: 'latest' }] }).then((o) => o[0]!.offset),
    ).toBe(0n)

    const withAssignment = await admin.createPartitions({
      topicPartitions: [{ topic, count: 4, assignments: [[brokerId]] }],
    })
    expect(withAssignment).toEqual([{ topic, count: 4 }])

    const failure = await partialFailure(admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] }))
    expect(failure.failures[0]!.entry).toBe(topic)
    expect(failure.failures[0]!.error).toBeInstanceOf(InvalidPartitionsError)
    expect(failure.failures[0]!.error.message).toMatch(/4/)
    const unknown = uniqueTopic('grow-missing')
    const missing = await partialFailure(admin.createPartitions({ topicPartitions: [{ topic: unknown, count: 2 }] }))
    expect(missing.failures[0]!.error).toBeInstanceOf(UnknownTopicOrPartitionError)
  })

  it('deletes topics by name and by id (kafka-topics --delete)', async () => {
    const byName = uniqueTopic('delete-name')
    const byId = uniqueTopic('delete-id')
    const created = await admin.createTopics({ topics: [{ topic: byName }, { topic: byId }] })
    const id = created.find((t) => t.topic === byId)!.topicId

    const deleted = await admin.deleteTopics({ topics: [byName], topicIds: [id] })
    expect(deleted).toEqual(
      expect.arrayContaining([expect.objectContaining({ topic: byName }), expect.objectContaining({ topicId: id })]),
    )
    await waitFor('both deleted topics are gone from the list', async () => {
      const names = await admin.listTopics()
      return names.includes(byName) || names.includes(byId) ? undefined : true
    })

    const failure = await partialFailure(admin.deleteTopics({ topics: [byName], topicIds: [id] }))
    expect(failure.failures.map((f) => f.entry).sort()).toEqual([byName, id].sort())
    expect(failure.failures.find((f) => f.entry === byName)!.error).toBeInstanceOf(UnknownTopicOrPartitionError)
    expect(failure.failures.find((f) => f.entry === id)!.error).toBeInstanceOf(UnknownTopicIdError)
  })
})
