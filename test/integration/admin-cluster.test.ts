// The admin client's cluster calls on every broker target (a single node): describe the
// cluster and its features, log dirs, leader elections and partition reassignments.
// Reassignments that move data and elections after a node stops are in
// test/failover/admin-cluster.test.ts (three-node jar cluster).
import {
  ElectionNotNeededError,
  InvalidReplicaAssignmentError,
  NoReassignmentInProgressError,
  UnknownTopicOrPartitionError,
} from '@kafkit/protocol'
import { type Admin, AdminPartialFailureError, InvalidMessageError, Kafka } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { waitFor } from './support/wait-for.js'

const { cluster, skipReason } = await useTestCluster()

/** The failures of a call expected to fail partly, as [entry, error class name, message]. */
async function failuresOf(call: Promise<unknown>): Promise<[string, string, string][]> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof AdminPartialFailureError))
    throw new Error(`expected AdminPartialFailureError, got ${String(error)}`)
  return error.failures.map((f) => [f.entry, f.error.constructor.name, f.error.message])
}

describe.skipIf(skipReason !== undefined)(`admin cluster calls against the ${cluster?.target} target`, () => {
  let admin: Admin
  let kafka: Kafka
  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'kafkit-admin-cluster', brokers: cluster!.bootstrapServers })
    admin = kafka.admin()
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.disconnect()
  })

  async function newTopic(prefix: string, partitions = 1): Promise<string> {
    const topic = uniqueTopic(prefix)
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] })
    return topic
  }

  it('describes the cluster: its id, the controller, the brokers with host, port and rack', async () => {
    const description = await admin.describeCluster()
    expect(description.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(description.brokers).toEqual([
      {
        nodeId: 1,
        host: '127.0.0.1',
        port: Number(cluster!.bootstrapServers[0]!.split(':')[1]),
        rack: null,
        isFenced: false,
      },
    ])
    expect(description.controller).toBe(1)
    expect(description.authorizedOperations).toBeUndefined()
    // The same id every time: it is the cluster's, not the connection's.
    expect((await admin.describeCluster()).clusterId).toBe(description.clusterId)
  })

  it('reports the authorized cluster operations when asked (every one, without an authorizer)', async () => {
    const { authorizedOperations } = await admin.describeCluster({ includeAuthorizedOperations: true })
    expect(authorizedOperations).toEqual(
      expect.arrayContaining(['CREATE', 'ALTER', 'DESCRIBE', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE']),
    )
  })

  it("describes the features: Kafka 4.1's metadata.version, consumer groups and transactions", async () => {
    const features = await admin.describeFeatures()
    expect(features.supportedFeatures['metadata.version']).toEqual({ minVersion: 7, maxVersion: 27 })
    expect(features.finalizedFeatures['metadata.version']).toEqual({ minVersionLevel: 27, maxVersionLevel: 27 })
    expect(features.finalizedFeatures['group.version']).toEqual({ minVersionLevel: 1, maxVersionLevel: 1 })
    expect(features.finalizedFeatures['transaction.version']?.maxVersionLevel).toBeGreaterThanOrEqual(1)
    expect(features.finalizedFeaturesEpoch).toBeGreaterThan(0n)
  })

  it('describes the log dirs of every broker: one directory with each replica and its size, and the volume', async () => {
    const topic = await newTopic('log-dirs', 2)
    const producer = kafka.producer()
    await producer.connect()
    try {
      await producer.send({ topic, messages: [{ partition: 0, value: 'x'.repeat(1000) }] })
    } finally {
      await producer.disconnect()
    }
    // Kafka creates a replica's log when the broker learns of the partition, a moment after the topic.
    const [broker] = await waitFor('both replicas are in a log dir', async () => {
      const brokers = await admin.describeLogDirs()
      const replicas = brokers[0]?.logDirs.flatMap((d) => d.replicas.filter((r) => r.topic === topic)) ?? []
      return replicas.length === 2 && replicas.some((r) => r.sizeBytes > 0n) ? brokers : undefined
    })
    expect(broker!.broker).toBe(1)
    expect(broker!.logDirs).toHaveLength(1)
    const [dir] = broker!.logDirs
    expect(dir!.path.startsWith('/')).toBe(true)
    expect(dir!.error).toBeUndefined()
    expect(dir!.totalBytes).toBeGreaterThan(0n)
    expect(dir!.usableBytes).toBeGreaterThan(0n)
    expect(dir!.usableBytes! <= dir!.totalBytes!).toBe(true)
    const replicas = dir!.replicas.filter((r) => r.topic === topic).sort((a, b) => a.partition - b.partition)
    expect(replicas.map((r) => [r.partition, r.offsetLag, r.isFuture])).toEqual([
      [0, 0n, false],
      [1, 0n, false],
    ])
    // One batch of one 1000-byte record, plus the batch and record headers; nothing in partition 1.
    expect(replicas[0]!.sizeBytes > 1000n && replicas[0]!.sizeBytes < 1200n).toBe(true)
    expect(replicas[1]!.sizeBytes).toBe(0n)
    expect(await admin.describeLogDirs([1])).toEqual([
      { broker: 1, logDirs: [expect.objectContaining({ path: dir!.path })] },
    ])
  })

  it('elects nothing where the preferred leader already leads, and says so per partition', async () => {
    const topic = await newTopic('elect', 2)
    expect(
      await failuresOf(
        admin.electLeaders({
          partitions: [
            { topic, partition: 0 },
            { topic, partition: 1 },
          ],
        }),
      ),
    ).toEqual([
      [
        `${topic}-0`,
        ElectionNotNeededError.name,
        expect.stringContaining('Leader election not needed for topic partition.'),
      ],
      [`${topic}-1`, ElectionNotNeededError.name, expect.any(String)],
    ])
    // Every partition of the cluster: those needing no election are left out.
    expect(await admin.electLeaders()).toEqual([])
  })

  it('elects an unclean leader only for a partition without one, and names unknown partitions', async () => {
    const topic = await newTopic('unclean')
    const failures = await failuresOf(
      admin.electLeaders({
        electionType: 'unclean',
        partitions: [
          { topic, partition: 0 },
          { topic, partition: 5 },
          { topic: `${topic}-missing`, partition: 0 },
        ],
      }),
    )
    expect(failures).toEqual([
      [`${topic}-0`, ElectionNotNeededError.name, expect.any(String)],
      [`${topic}-5`, UnknownTopicOrPartitionError.name, expect.stringContaining(`No such partition as ${topic}-5`)],
      [
        `${topic}-missing-0`,
        UnknownTopicOrPartitionError.name,
        expect.stringContaining(`No such topic as ${topic}-missing`),
      ],
    ])
  })

  it('reassigns a partition to the replicas it has (a no-op) and lists no ongoing reassignment after', async () => {
    const topic = await newTopic('reassign', 2)
    expect(
      await admin.alterPartitionReassignments({
        topics: [
          {
            topic,
            partitionAssignment: [
              { partition: 0, replicas: [1] },
              { partition: 1, replicas: [1] },
            ],
          },
        ],
        allowReplicationFactorChange: false,
      }),
    ).toEqual([
      { topic, partition: 0 },
      { topic, partition: 1 },
    ])
    expect(await admin.listPartitionReassignments()).toEqual({ topics: [] })
    expect(await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0, 1, 7] }] })).toEqual({
      topics: [],
    })
  })

  it('refuses invalid reassignments per partition, with Kafka messages', async () => {
    const topic = await newTopic('bad-reassign', 3)
    const failures = await failuresOf(
      admin.alterPartitionReassignments({
        topics: [
          {
            topic,
            partitionAssignment: [
              { partition: 0, replicas: null },
              { partition: 1, replicas: [1, 1] },
              { partition: 2, replicas: [1, 42] },
              { partition: 9, replicas: [1] },
            ],
          },
          { topic: `${topic}-missing`, partitionAssignment: [{ partition: 0, replicas: [1] }] },
        ],
      }),
    )
    expect(failures).toEqual([
      [`${topic}-0`, NoReassignmentInProgressError.name, expect.any(String)],
      [
        `${topic}-1`,
        InvalidReplicaAssignmentError.name,
        expect.stringContaining('includes the broker 1 more than once.'),
      ],
      [
        `${topic}-2`,
        InvalidReplicaAssignmentError.name,
        expect.stringContaining('includes broker 42, but no such broker is registered.'),
      ],
      [
        `${topic}-9`,
        UnknownTopicOrPartitionError.name,
        expect.stringContaining(`Unable to find partition ${topic}:9.`),
      ],
      [
        `${topic}-missing-0`,
        UnknownTopicOrPartitionError.name,
        expect.stringContaining('Unable to find a topic named'),
      ],
    ])
    expect(await admin.listPartitionReassignments()).toEqual({ topics: [] })
  })

  it('fails invalid arguments at the call', async () => {
    await expect(admin.electLeaders({ electionType: 'random' as 'preferred' })).rejects.toThrow(InvalidMessageError)
    await expect(admin.alterPartitionReassignments({ topics: [] })).rejects.toThrow(/non-empty array/)
    await expect(admin.describeCluster({ includeFenced: true } as object)).rejects.toThrow(/no option "includeFenced"/)
  })
})
