import {
  createAlterPartitionReassignmentsRequest,
  createDescribeLogDirsRequest,
  createElectLeadersRequest,
  createListPartitionReassignmentsRequest,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { logDirOf } from '../src/embedded/handlers/35-describe-log-dirs.js'
import { createTopic, freshTopic, useAdminCluster } from './support/admin.js'
import { batch, produce, records } from './support/data-requests.js'

// ElectLeaders, AlterPartitionReassignments, ListPartitionReassignments and
// DescribeLogDirs of the embedded broker; the same calls through the admin
// client run against real Kafka in test/integration and test/failover admin-cluster tests.
const cluster = useAdminCluster()
const state = () => cluster.kafka.control.state
const partitionOf = (topic: string, index = 0) => state().topics.get(topic)!.partitions[index]!

async function topicOn(replicas: number[], partitions = 1): Promise<string> {
  const name = freshTopic('ops')
  await createTopic(cluster.client, name, {
    numPartitions: -1,
    replicationFactor: -1,
    assignments: Array.from({ length: partitions }, (_, partitionIndex) => ({ partitionIndex, brokerIds: replicas })),
  })
  return name
}

function elect(init: Parameters<typeof createElectLeadersRequest>[0], version?: number) {
  return cluster.client.cluster.requestAny(
    'ElectLeaders',
    createElectLeadersRequest(init),
    version === undefined ? {} : { version },
  )
}

function reassign(topic: string, partitions: { partitionIndex: number; replicas: number[] | null }[], init = {}) {
  return cluster.client.cluster.requestAny(
    'AlterPartitionReassignments',
    createAlterPartitionReassignmentsRequest({ topics: [{ name: topic, partitions }], ...init }),
  )
}

function listReassignments(topics: { name: string; partitionIndexes: number[] }[] | null = null) {
  return cluster.client.cluster.requestAny(
    'ListPartitionReassignments',
    createListPartitionReassignmentsRequest({ topics }),
  )
}

describe('ElectLeaders', () => {
  it('moves leadership back to the preferred replica and bumps the leader epoch', async () => {
    const topic = await topicOn([1, 2, 3])
    cluster.kafka.control.moveLeader(topic, 0, 2)
    const epoch = partitionOf(topic).leaderEpoch
    const response = await elect({ electionType: 0, topicPartitions: [{ topic, partitions: [0] }] })
    expect(response).toMatchObject({
      errorCode: 0,
      replicaElectionResults: [{ topic, partitionResult: [{ partitionId: 0, errorCode: 0, errorMessage: null }] }],
    })
    expect(partitionOf(topic)).toMatchObject({ leader: 1, leaderEpoch: epoch + 1 })
    // Now there is nothing to do.
    expect(
      (await elect({ electionType: 0, topicPartitions: [{ topic, partitions: [0] }] }, 0)).replicaElectionResults,
    ).toEqual([
      {
        topic,
        partitionResult: [
          { partitionId: 0, errorCode: 84, errorMessage: 'Leader election not needed for topic partition.' },
        ],
      },
    ])
  })

  it('answers PREFERRED_LEADER_NOT_AVAILABLE while the preferred replica is stopped', async () => {
    const topic = await topicOn([2, 3])
    await cluster.kafka.control.stopBroker(2)
    try {
      expect(partitionOf(topic).leader).toBe(3)
      const response = await elect({ electionType: 0, topicPartitions: [{ topic, partitions: [0] }] })
      expect(response.replicaElectionResults[0]!.partitionResult).toEqual([
        { partitionId: 0, errorCode: 80, errorMessage: 'The preferred leader was not available.' },
      ])
    } finally {
      await cluster.kafka.control.startBroker(2)
    }
    // Back in the ISR, but leadership does not move by itself.
    expect(partitionOf(topic)).toMatchObject({ leader: 3, isr: [3, 2] })
  })

  it('elects every partition when none are named, leaving out those that need no election', async () => {
    const moved = await topicOn([1, 2], 2)
    cluster.kafka.control.moveLeader(moved, 1, 2)
    const response = await elect({ electionType: 0, topicPartitions: null })
    const results = new Map(response.replicaElectionResults.map((r) => [r.topic, r.partitionResult]))
    expect(results.get(moved)).toEqual([{ partitionId: 1, errorCode: 0, errorMessage: null }])
    // Every topic is listed, even with no partition to report.
    expect([...results.keys()].sort()).toEqual([...state().topics.keys()].sort())
    expect(partitionOf(moved, 1).leader).toBe(1)
  })

  it('elects an unclean leader only for a leaderless partition, making it the whole ISR', async () => {
    const topic = await topicOn([1, 2, 3])
    expect(
      (await elect({ electionType: 1, topicPartitions: [{ topic, partitions: [0] }] })).replicaElectionResults[0]!
        .partitionResult[0]!.errorCode,
    ).toBe(84)
    // A leaderless partition whose in-sync replica is gone but another replica is running.
    Object.assign(partitionOf(topic), { leader: -1, isr: [] })
    const response = await elect({ electionType: 1, topicPartitions: [{ topic, partitions: [0] }] })
    expect(response.replicaElectionResults[0]!.partitionResult).toEqual([
      { partitionId: 0, errorCode: 0, errorMessage: null },
    ])
    expect(partitionOf(topic)).toMatchObject({ leader: 1, isr: [1] })
    await cluster.kafka.control.stopBroker(1)
    await cluster.kafka.control.startBroker(1)
  })

  it('answers ELIGIBLE_LEADERS_NOT_AVAILABLE when no replica is running', async () => {
    const topic = await topicOn([3])
    await cluster.kafka.control.stopBroker(3)
    try {
      const response = await elect({ electionType: 1, topicPartitions: [{ topic, partitions: [0] }] })
      expect(response.replicaElectionResults[0]!.partitionResult[0]).toMatchObject({ errorCode: 83 })
    } finally {
      await cluster.kafka.control.startBroker(3)
    }
  })

  it('answers unknown partitions, an unknown election type and an expired timeout as Kafka does', async () => {
    const topic = await topicOn([1])
    expect(
      (
        await elect({
          topicPartitions: [
            { topic, partitions: [4] },
            { topic: 'nope', partitions: [0] },
          ],
        })
      ).replicaElectionResults,
    ).toEqual([
      { topic, partitionResult: [{ partitionId: 4, errorCode: 3, errorMessage: `No such partition as ${topic}-4` }] },
      { topic: 'nope', partitionResult: [{ partitionId: 0, errorCode: 3, errorMessage: 'No such topic as nope' }] },
    ])
    expect(await elect({ electionType: 5, topicPartitions: [{ topic, partitions: [0] }] })).toMatchObject({
      errorCode: 42,
      replicaElectionResults: [
        { topic, partitionResult: [{ partitionId: 0, errorCode: 42, errorMessage: 'Unknown election type 5' }] },
      ],
    })
    cluster.kafka.control.moveLeader(topic, 0, 2)
    expect(await elect({ timeoutMs: 0, topicPartitions: [{ topic, partitions: [0] }] })).toMatchObject({
      errorCode: 7,
      replicaElectionResults: [{ topic, partitionResult: [{ partitionId: 0, errorCode: 7, errorMessage: null }] }],
    })
    expect(partitionOf(topic).leader).toBe(2)
  })
})

describe('AlterPartitionReassignments and ListPartitionReassignments', () => {
  it('completes a reassignment at once; the old leader leaving hands leadership to the first new replica', async () => {
    const topic = await topicOn([1, 2])
    const epoch = partitionOf(topic).leaderEpoch
    const response = await reassign(topic, [{ partitionIndex: 0, replicas: [3, 2] }], {
      allowReplicationFactorChange: false,
    })
    expect(response).toMatchObject({
      errorCode: 0,
      errorMessage: null,
      allowReplicationFactorChange: false,
      responses: [{ name: topic, partitions: [{ partitionIndex: 0, errorCode: 0, errorMessage: null }] }],
    })
    expect(partitionOf(topic)).toMatchObject({ replicas: [3, 2], isr: [2, 3], leader: 3, leaderEpoch: epoch + 1 })
    expect((await listReassignments()).topics).toEqual([])
  })

  it('keeps the leader when it stays, and only reorders replicas already in sync', async () => {
    const topic = await topicOn([1, 2, 3])
    await reassign(topic, [{ partitionIndex: 0, replicas: [3, 2, 1] }])
    expect(partitionOf(topic)).toMatchObject({ replicas: [3, 2, 1], leader: 1, leaderEpoch: 0 })
  })

  it('keeps a reassignment onto a stopped broker ongoing, listed, until the broker starts', async () => {
    const topic = await topicOn([1, 2])
    await cluster.kafka.control.stopBroker(3)
    try {
      expect(
        (await reassign(topic, [{ partitionIndex: 0, replicas: [1, 3] }])).responses[0]!.partitions[0]!.errorCode,
      ).toBe(0)
      const ongoing = { partitionIndex: 0, replicas: [1, 3, 2], addingReplicas: [3], removingReplicas: [2] }
      expect((await listReassignments()).topics).toEqual([{ name: topic, partitions: [ongoing] }])
      expect(
        (
          await listReassignments([
            { name: topic, partitionIndexes: [0, 1] },
            { name: 'nope', partitionIndexes: [0] },
          ])
        ).topics,
      ).toEqual([{ name: topic, partitions: [ongoing] }])
      expect(partitionOf(topic)).toMatchObject({ replicas: [1, 3, 2], isr: [1, 2], leader: 1 })
    } finally {
      await cluster.kafka.control.startBroker(3)
    }
    expect(partitionOf(topic)).toMatchObject({
      replicas: [1, 3],
      isr: [1, 3],
      leader: 1,
      addingReplicas: [],
      removingReplicas: [],
    })
    expect((await listReassignments()).topics).toEqual([])
  })

  it('cancels an ongoing reassignment (replicas null), and answers NO_REASSIGNMENT_IN_PROGRESS when there is none', async () => {
    const topic = await topicOn([1, 2])
    await cluster.kafka.control.stopBroker(3)
    try {
      await reassign(topic, [{ partitionIndex: 0, replicas: [3, 1] }])
      expect(partitionOf(topic).replicas).toEqual([3, 1, 2])
      const cancel = await reassign(topic, [{ partitionIndex: 0, replicas: null }])
      expect(cancel.responses[0]!.partitions[0]).toMatchObject({ errorCode: 0, errorMessage: null })
      expect(partitionOf(topic)).toMatchObject({ replicas: [1, 2], isr: [1, 2], leader: 1 })
      expect((await listReassignments()).topics).toEqual([])
    } finally {
      await cluster.kafka.control.startBroker(3)
    }
    expect((await reassign(topic, [{ partitionIndex: 0, replicas: null }])).responses[0]!.partitions[0]).toEqual({
      partitionIndex: 0,
      errorCode: 85,
      errorMessage: null,
    })
  })

  it('refuses a cancel that would need an unclean election', async () => {
    const topic = await topicOn([1])
    await cluster.kafka.control.stopBroker(3)
    try {
      await reassign(topic, [{ partitionIndex: 0, replicas: [3] }])
      // The only in-sync replica is the one being removed; make the adding one the sole ISR member.
      Object.assign(partitionOf(topic), { isr: [3] })
      const cancel = await reassign(topic, [{ partitionIndex: 0, replicas: null }])
      expect(cancel.responses[0]!.partitions[0]).toEqual({
        partitionIndex: 0,
        errorCode: 39,
        errorMessage: `Unable to revert partition assignment for ${topic}:0 because it would require an unclean leader election.`,
      })
      Object.assign(partitionOf(topic), { isr: [1] })
    } finally {
      await cluster.kafka.control.startBroker(3)
    }
  })

  it('checks targets as Kafka does: empty, a broker twice, an unknown broker, a changed replication factor', async () => {
    const topic = await topicOn([1, 2], 4)
    const response = await reassign(
      topic,
      [
        { partitionIndex: 0, replicas: [] },
        { partitionIndex: 1, replicas: [9, 2, 2] },
        { partitionIndex: 2, replicas: [2, 2, 9] },
        { partitionIndex: 3, replicas: [1, 2, 3] },
        { partitionIndex: 8, replicas: [1] },
      ],
      { allowReplicationFactorChange: false },
    )
    expect(response.responses[0]!.partitions.map((p) => [p.partitionIndex, p.errorCode, p.errorMessage])).toEqual([
      [0, 39, 'The manual partition assignment includes an empty replica list.'],
      [1, 39, 'The manual partition assignment includes the broker 2 more than once.'],
      [2, 39, 'The manual partition assignment includes the broker 2 more than once.'],
      [3, 38, 'The replication factor is changed from 2 to 3'],
      [8, 3, `Unable to find partition ${topic}:8.`],
    ])
    const unknown = await reassign('nope', [{ partitionIndex: 0, replicas: [1] }])
    expect(unknown.responses[0]!.partitions[0]).toMatchObject({
      errorCode: 3,
      errorMessage: 'Unable to find a topic named nope.',
    })
    const broker9 = await reassign(topic, [{ partitionIndex: 0, replicas: [1, 9] }])
    expect(broker9.responses[0]!.partitions[0]!.errorMessage).toBe(
      'The manual partition assignment includes broker 9, but no such broker is registered.',
    )
    // Allowed by default (v0 has no choice).
    expect(
      (await reassign(topic, [{ partitionIndex: 3, replicas: [1, 2, 3] }])).responses[0]!.partitions[0]!.errorCode,
    ).toBe(0)
    expect(partitionOf(topic, 3).replicas).toEqual([1, 2, 3])
  })

  it('times every partition out when timeoutMs is 0, changing nothing', async () => {
    const topic = await topicOn([1])
    const response = await reassign(topic, [{ partitionIndex: 0, replicas: [2] }], { timeoutMs: 0 })
    expect(response).toMatchObject({
      errorCode: 7,
      responses: [{ partitions: [{ errorCode: 7, errorMessage: null }] }],
    })
    expect(partitionOf(topic).replicas).toEqual([1])
  })
})

describe('DescribeLogDirs', () => {
  it("lists one log dir per broker with each replica's size, and the volume's total and usable bytes", async () => {
    const topic = await topicOn([1, 2], 2)
    const stored = await batch(records(3))
    expect((await produce(cluster.client, 1, topic, 0, stored)).errorCode).toBe(0)
    const response = await cluster.client.cluster.request(
      2,
      'DescribeLogDirs',
      createDescribeLogDirsRequest({ topics: null }),
    )
    const [dir] = response.results
    expect(response.errorCode).toBe(0)
    expect(dir).toMatchObject({ errorCode: 0, logDir: logDirOf(state(), 2) })
    expect(dir!.totalBytes).toBeGreaterThan(0n)
    expect(dir!.usableBytes <= dir!.totalBytes).toBe(true)
    expect(dir!.topics.find((t) => t.name === topic)?.partitions).toEqual([
      { partitionIndex: 0, partitionSize: BigInt(stored.length), offsetLag: 0n, isFutureKey: false },
      { partitionIndex: 1, partitionSize: 0n, offsetLag: 0n, isFutureKey: false },
    ])
    // Broker 3 holds no replica of the topic.
    const third = await cluster.client.cluster.request(
      3,
      'DescribeLogDirs',
      createDescribeLogDirsRequest({ topics: null }),
    )
    expect(third.results[0]!.topics.some((t) => t.name === topic)).toBe(false)
  })

  it('describes only the partitions asked for, listing the other topics of the dir without partitions', async () => {
    const topic = await topicOn([1], 2)
    const response = await cluster.client.cluster.request(
      1,
      'DescribeLogDirs',
      createDescribeLogDirsRequest({ topics: [{ topic, partitions: [1] }] }),
      { version: 1 },
    )
    const topics = response.results[0]!.topics
    expect(topics.find((t) => t.name === topic)?.partitions.map((p) => p.partitionIndex)).toEqual([1])
    expect(topics.filter((t) => t.name !== topic).every((t) => t.partitions.length === 0)).toBe(true)
    // v1 has no volume sizes.
    expect(response.results[0]!.totalBytes).toBe(-1n)
  })
})

describe('ApiVersions features', () => {
  it('advertises the features it implements, finalized at their highest level', async () => {
    const response = await cluster.client.cluster.requestAny('ApiVersions', {
      clientSoftwareName: 'test',
      clientSoftwareVersion: '1',
    })
    expect(response.supportedFeatures).toEqual([
      { name: 'group.version', minVersion: 0, maxVersion: 1 },
      { name: 'metadata.version', minVersion: 7, maxVersion: 27 },
      { name: 'transaction.version', minVersion: 0, maxVersion: 1 },
    ])
    expect(response.finalizedFeatures.map((f) => [f.name, f.minVersionLevel, f.maxVersionLevel])).toEqual([
      ['group.version', 1, 1],
      ['metadata.version', 27, 27],
      ['transaction.version', 1, 1],
    ])
  })
})
