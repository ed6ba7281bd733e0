// The admin client's consumer group calls on every broker target, on groups that kafkit
// consumers make (classic and KIP-848), covering the kafka-consumer-groups quick reference:
// --list, --describe, --reset-offsets (--to-earliest, --to-offset, ...), --delete-offsets, --delete.
import {
  GroupIdNotFoundError,
  GroupSubscribedToTopicError,
  NonEmptyGroupError,
  UnknownTopicOrPartitionError,
} from '@kafkit/protocol'
import {
  ActiveGroupError,
  type Admin,
  AdminPartialFailureError,
  InvalidMessageError,
  Kafka,
  type KafkitConsumer,
  logLevel,
} from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useGroupTestCluster, useStartedMembers } from './support/group-test-cluster.js'
import { uniqueTopic } from './support/test-cluster.js'
import { createTopic } from './support/topics.js'
import { waitFor } from './support/wait-for.js'

// Short KIP-848 heartbeats: Kafka's default 5 s would make each reconciliation step take seconds.
const { cluster, skipReason } = await useGroupTestCluster({
  'group.consumer.min.heartbeat.interval.ms': '500',
  'group.consumer.heartbeat.interval.ms': '500',
})
const PARTITIONS = 3
const GROUP_ID_NOT_FOUND = 69
const RECORDS_PER_PARTITION = 10

interface Member {
  consumer: KafkitConsumer
  processed: () => number
  stop(): Promise<void>
}

const members = useStartedMembers<Member>()
let kafka: Kafka
let admin: Admin
beforeAll(async () => {
  if (!cluster) return
  kafka = new Kafka({ clientId: 'admin-groups', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING })
  admin = kafka.admin()
  await admin.connect()
})
afterAll(async () => {
  await admin?.disconnect()
})

/** A topic with RECORDS_PER_PARTITION records in each partition. */
async function filledTopic(): Promise<string> {
  const topic = uniqueTopic('admin-groups')
  await createTopic(admin.client, topic, PARTITIONS)
  const producer = kafka.producer({ lingerMs: 0 })
  await producer.connect()
  try {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      await producer.send({
        topic,
        messages: Array.from({ length: RECORDS_PER_PARTITION }, (_, i) => ({ partition, value: `v${i}` })),
      })
    }
  } finally {
    await producer.disconnect()
  }
  return topic
}

async function produce(topic: string, partition: number, count: number): Promise<void> {
  const producer = kafka.producer({ lingerMs: 0 })
  await producer.connect()
  try {
    await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ partition, value: `m${i}` })) })
  } finally {
    await producer.disconnect()
  }
}

/** A kafkit consumer in `groupId` reading `topic` from the beginning, committing every 200 ms. */
async function startMember(groupId: string, topic: string, groupProtocol: 'classic' | 'consumer'): Promise<Member> {
  const consumer = kafka.consumer({
    groupId,
    groupProtocol,
    autoCommitIntervalMs: 200,
    maxWaitMs: 100,
    ...(groupProtocol === 'classic' ? { heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000 } : {}),
  })
  let processed = 0
  await consumer.connect()
  consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    eachMessage: async () => {
      processed++
    },
  })
  return members.add({ consumer, processed: () => processed, stop: () => consumer.disconnect() })
}

/** Waits until the group committed `offset` in every partition of `topic`. */
async function untilCommitted(groupId: string, topic: string, offset: bigint): Promise<void> {
  await waitFor(`group ${groupId} committed offset ${offset} everywhere`, async () => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
    return offsets?.partitions.every((p) => p.offset === offset) ? true : undefined
  })
}

async function untilState(groupId: string, state: string): Promise<void> {
  await waitFor(`group ${groupId} is ${state}`, async () => {
    const { groups } = await admin.describeGroups([groupId])
    return groups[0]?.state === state ? true : undefined
  })
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => error,
  )
}

const sortedPartitions = (assignment: { topic: string; partitions: number[] }[]) =>
  assignment.flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}-${p}`)).sort()

describe.skipIf(skipReason !== undefined)(`admin consumer groups against the ${cluster?.target} target`, () => {
  it('lists, describes and lags an active classic group, refuses to reset or delete it, then resets it once stopped', async () => {
    const topic = await filledTopic()
    const groupId = uniqueTopic('classic')
    const member = await startMember(groupId, topic, 'classic')
    await untilCommitted(groupId, topic, BigInt(RECORDS_PER_PARTITION))
    await untilState(groupId, 'Stable')

    // kafka-consumer-groups --list
    const listed = (await admin.listGroups()).groups.find((g) => g.groupId === groupId)
    expect(listed).toMatchObject({ protocolType: 'consumer', state: 'Stable', type: 'classic' })
    const stableClassic = await admin.listGroups({ states: ['stable'], types: ['classic'] })
    expect(stableClassic.groups.map((g) => g.groupId)).toContain(groupId)
    expect((await admin.listGroups({ types: ['consumer'] })).groups.map((g) => g.groupId)).not.toContain(groupId)
    expect((await admin.listGroups({ states: ['Empty'] })).groups.map((g) => g.groupId)).not.toContain(groupId)

    // kafka-consumer-groups --describe --members --verbose
    const { groups } = await admin.describeGroups([groupId])
    const group = groups[0]!
    expect(group).toMatchObject({
      groupId,
      type: 'classic',
      state: 'Stable',
      protocolType: 'consumer',
      groupEpoch: null,
      authorizedOperations: null,
    })
    expect(['range', 'cooperative-sticky']).toContain(group.protocol)
    expect(group.coordinatorId).toBeGreaterThanOrEqual(0)
    expect(group.members).toHaveLength(1)
    const [described] = group.members
    expect(described).toMatchObject({ clientId: 'admin-groups', groupInstanceId: null, memberEpoch: null })
    expect(described!.clientHost).toContain('127.0.0.1')
    expect(described!.subscription?.topics).toEqual([topic])
    expect(described!.subscribedTopicNames).toEqual([topic])
    expect(sortedPartitions(described!.assignment)).toEqual([0, 1, 2].map((p) => `${topic}-${p}`))
    expect(described!.memberAssignment.length).toBeGreaterThan(0)

    // kafka-consumer-groups --describe (offsets and lag)
    const lag = await admin.fetchGroupLag({ groupId })
    expect(lag).toMatchObject({ groupId, state: 'Stable', totalLag: 0n, uncommittedPartitions: 0 })
    expect(lag.partitions).toEqual(
      [0, 1, 2].map((partition) => ({
        topic,
        partition,
        committedOffset: 10n,
        endOffset: 10n,
        lag: 0n,
        memberId: described!.memberId,
        clientId: 'admin-groups',
        clientHost: described!.clientHost,
      })),
    )

    // An active group's offsets stay as they are: the reset and the admin commit are refused.
    const reset = await rejection(admin.resetGroupOffsets({ groupId, topics: [topic], to: 'earliest' }))
    expect(reset).toBeInstanceOf(ActiveGroupError)
    expect(reset).toBeInstanceOf(NonEmptyGroupError)
    expect((reset as ActiveGroupError).message).toMatch(/1 active member \(state Stable\); stop its consumers/)
    const altered = await rejection(
      admin.alterGroupOffsets({ groupId, offsets: [{ topic, partition: 0, offset: 1n }] }),
    )
    expect(altered).toBeInstanceOf(ActiveGroupError)
    const deleted = await rejection(admin.deleteGroups([groupId]))
    expect(deleted).toBeInstanceOf(AdminPartialFailureError)
    expect((deleted as AdminPartialFailureError).failures[0]).toMatchObject({ entry: groupId })
    expect((deleted as AdminPartialFailureError).failures[0]!.error).toBeInstanceOf(NonEmptyGroupError)
    expect((await admin.fetchOffsets({ groupId }))[0]!.partitions.map((p) => p.offset)).toEqual([10n, 10n, 10n])

    await members.stop(member)
    await untilState(groupId, 'Empty')
    await produce(topic, 0, 5)
    const stoppedLag = await admin.fetchGroupLag({ groupId })
    expect(stoppedLag).toMatchObject({ state: 'Empty', totalLag: 5n })
    expect(stoppedLag.partitions[0]).toMatchObject({ committedOffset: 10n, endOffset: 15n, lag: 5n, memberId: null })

    // kafka-consumer-groups --reset-offsets --to-earliest --execute
    expect(await admin.resetGroupOffsets({ groupId, topics: [topic], to: 'earliest' })).toEqual([
      { topic, partition: 0, previousOffset: 10n, offset: 0n },
      { topic, partition: 1, previousOffset: 10n, offset: 0n },
      { topic, partition: 2, previousOffset: 10n, offset: 0n },
    ])
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.map((p) => p.offset)).toEqual([
      0n,
      0n,
      0n,
    ])
    // --to-offset, clamped to each partition's end as the script does
    const toOffset = await admin.resetGroupOffsets({ groupId, to: { offset: 12n } })
    expect(toOffset.map((r) => r.offset)).toEqual([12n, 10n, 10n])
    // --shift-by
    const shifted = await admin.resetGroupOffsets({
      groupId,
      topics: [{ topic, partitions: [0, 1] }],
      to: { shiftBy: -3n },
    })
    expect(shifted).toEqual([
      { topic, partition: 0, previousOffset: 12n, offset: 9n },
      { topic, partition: 1, previousOffset: 10n, offset: 7n },
    ])
    // --shift-by past the start is clamped to the earliest offset
    expect(
      (await admin.resetGroupOffsets({ groupId, topics: [topic], to: { shiftBy: -100n } })).map((r) => r.offset),
    ).toEqual([0n, 0n, 0n])
    // --to-datetime: a time after every record means the log end
    const future = await admin.resetGroupOffsets({ groupId, to: { timestamp: Date.now() + 3_600_000 } })
    expect(future.map((r) => r.offset)).toEqual([15n, 10n, 10n])
    const past = await admin.resetGroupOffsets({ groupId, to: { timestamp: 0 } })
    expect(past.map((r) => r.offset)).toEqual([0n, 0n, 0n])
    // --to-latest without --execute changes nothing
    const dryRun = await admin.resetGroupOffsets({ groupId, to: 'latest', dryRun: true })
    expect(dryRun.map((r) => r.offset)).toEqual([15n, 10n, 10n])
    expect((await admin.fetchOffsets({ groupId }))[0]!.partitions.map((p) => p.offset)).toEqual([0n, 0n, 0n])

    // A restarted member goes on from the reset offsets: it reads everything again.
    const again = await startMember(groupId, topic, 'classic')
    await waitFor('the restarted member read all 35 records again', () => (again.processed() === 35 ? true : undefined))
    await members.stop(again)
    await untilState(groupId, 'Empty')

    // kafka-consumer-groups --delete-offsets
    expect(await admin.deleteGroupOffsets({ groupId, topics: [{ topic, partitions: [2] }] })).toEqual([
      { topic, partition: 2 },
    ])
    const afterDelete = await admin.fetchOffsets({ groupId, topics: [topic] })
    expect(afterDelete[0]!.partitions.map((p) => p.offset)).toEqual([15n, 10n, -1n])
    expect((await admin.fetchGroupLag({ groupId, topics: [topic] })).partitions[2]).toMatchObject({
      committedOffset: null,
      lag: null,
    })

    // kafka-consumer-groups --delete
    expect(await admin.deleteGroups([groupId])).toEqual([{ groupId }])
    const gone = await rejection(admin.describeGroups([groupId]))
    expect((gone as AdminPartialFailureError).failures[0]!.error).toBeInstanceOf(GroupIdNotFoundError)
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId)
  })

  it('describes a consumer-protocol (KIP-848) group with member epochs and assignments, and guards its offsets', async () => {
    const topic = await filledTopic()
    const groupId = uniqueTopic('kip848')
    const member = await startMember(groupId, topic, 'consumer')
    await untilCommitted(groupId, topic, BigInt(RECORDS_PER_PARTITION))
    await untilState(groupId, 'Stable')

    const listed = (await admin.listGroups({ types: ['consumer'] })).groups.find((g) => g.groupId === groupId)
    expect(listed).toMatchObject({ protocolType: 'consumer', state: 'Stable', type: 'consumer' })
    expect((await admin.listGroups({ types: ['classic'] })).groups.map((g) => g.groupId)).not.toContain(groupId)

    const group = (await admin.describeGroups([groupId], { includeAuthorizedOperations: false })).groups[0]!
    expect(group).toMatchObject({ groupId, type: 'consumer', state: 'Stable', protocolType: 'consumer' })
    expect(['uniform', 'range']).toContain(group.protocol)
    expect(group.groupEpoch).toBeGreaterThan(0)
    expect(group.assignmentEpoch).toBe(group.groupEpoch)
    const [described] = group.members
    expect(described).toMatchObject({
      clientId: 'admin-groups',
      memberType: 'consumer',
      subscribedTopicNames: [topic],
      subscribedTopicRegex: null,
      subscription: null,
    })
    expect(described!.memberEpoch).toBe(group.groupEpoch)
    expect(sortedPartitions(described!.assignment)).toEqual([0, 1, 2].map((p) => `${topic}-${p}`))
    expect(sortedPartitions(described!.targetAssignment!)).toEqual(sortedPartitions(described!.assignment))

    // What describeGroups steps around: DescribeGroups, the classic API, does not describe a consumer group.
    const coordinator = await admin.client.cluster.findCoordinator('group', groupId)
    const classicAnswer = await admin.client.cluster.request(coordinator, 'DescribeGroups', {
      groups: [groupId],
      includeAuthorizedOperations: false,
    })
    // Kafka 4.1.1 answers GROUP_ID_NOT_FOUND, Dead, with an empty protocol type (not "consumer").
    expect(classicAnswer.groups[0]).toMatchObject({
      errorCode: GROUP_ID_NOT_FOUND,
      errorMessage: `Group ${groupId} is not a classic group.`,
      groupState: 'Dead',
      protocolType: '',
      members: [],
    })

    const lag = await admin.fetchGroupLag({ groupId })
    expect(lag.partitions.map((p) => [p.lag, p.memberId])).toEqual([0, 1, 2].map(() => [0n, described!.memberId]))

    // The group is active: offsets can neither be reset nor committed by an admin, and the offsets
    // of a topic it subscribes to cannot be deleted.
    expect(await rejection(admin.resetGroupOffsets({ groupId, to: 'earliest' }))).toBeInstanceOf(ActiveGroupError)
    expect(
      await rejection(admin.alterGroupOffsets({ groupId, offsets: [{ topic, partition: 0, offset: 0n }] })),
    ).toBeInstanceOf(ActiveGroupError)
    const subscribed = (await rejection(
      admin.deleteGroupOffsets({ groupId, topics: [{ topic, partitions: [0] }] }),
    )) as AdminPartialFailureError
    expect(subscribed.failures.map((f) => f.entry)).toEqual([`${topic}-0`])
    expect(subscribed.failures[0]!.error).toBeInstanceOf(GroupSubscribedToTopicError)

    await members.stop(member)
    await untilState(groupId, 'Empty')
    expect((await admin.resetGroupOffsets({ groupId, to: { offset: 4n } })).map((r) => r.offset)).toEqual([4n, 4n, 4n])
    expect((await admin.fetchGroupLag({ groupId })).totalLag).toBe(18n)
    expect(await admin.deleteGroups([groupId])).toEqual([{ groupId }])
  })

  it('commits, lists and deletes the offsets of a group that has never had members', async () => {
    const topic = await filledTopic()
    const groupId = uniqueTopic('offsets-only')
    expect(
      await admin.alterGroupOffsets({
        groupId,
        offsets: [
          { topic, partition: 0, offset: 3n, metadata: 'by admin' },
          { topic, partition: 1, offset: 7n, leaderEpoch: 0 },
        ],
      }),
    ).toHaveLength(2)
    // All partitions of a named topic, -1n where nothing is committed.
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      {
        topic,
        partitions: [
          { partition: 0, offset: 3n, leaderEpoch: null, metadata: 'by admin' },
          { partition: 1, offset: 7n, leaderEpoch: 0, metadata: '' },
          { partition: 2, offset: -1n, leaderEpoch: null, metadata: null },
        ],
      },
    ])
    // Without topics: only what the group has.
    expect((await admin.fetchOffsets({ groupId }))[0]!.partitions.map((p) => p.partition)).toEqual([0, 1])
    const group = (await admin.describeGroups([groupId])).groups[0]!
    expect(group).toMatchObject({ type: 'classic', state: 'Empty', protocolType: '', members: [] })
    expect((await admin.listGroups({ states: ['Empty'] })).groups.map((g) => g.groupId)).toContain(groupId)
    // kafkajs's names for the same: setOffsets and resetOffsets of one topic.
    expect(await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: 5n }] })).toEqual([
      { topic, partition: 0, offset: 5n },
    ])
    expect(
      (await admin.resetOffsets({ groupId, topic, earliest: true })).map((r) => [r.previousOffset, r.offset]),
    ).toEqual([
      [5n, 0n],
      [7n, 0n],
      [-1n, 0n],
    ])
    // A reset of named partitions of a group without members.
    expect(await admin.resetGroupOffsets({ groupId, topics: [{ topic, partitions: [2] }], to: 'latest' })).toEqual([
      { topic, partition: 2, previousOffset: 0n, offset: 10n },
    ])
    await admin.deleteGroupOffsets({ groupId, topics: [topic] })
    expect(await admin.fetchOffsets({ groupId })).toEqual([])
    expect(await admin.deleteGroups([groupId])).toEqual([{ groupId }])
  })

  it('reports each group or partition that failed and why, with the results of the others', async () => {
    const topic = await filledTopic()
    const groupId = uniqueTopic('known')
    await admin.alterGroupOffsets({ groupId, offsets: [{ topic, partition: 0, offset: 1n }] })
    const missing = uniqueTopic('missing-group')

    const described = (await rejection(admin.describeGroups([groupId, missing]))) as AdminPartialFailureError<{
      groups: { groupId: string }[]
    }>
    expect(described).toBeInstanceOf(AdminPartialFailureError)
    expect(described.failures.map((f) => f.entry)).toEqual([missing])
    expect(described.failures[0]!.error).toBeInstanceOf(GroupIdNotFoundError)
    expect(described.succeeded.groups.map((g) => g.groupId)).toEqual([groupId])

    const deleted = (await rejection(admin.deleteGroups([missing, groupId]))) as AdminPartialFailureError
    expect(deleted.failures.map((f) => f.entry)).toEqual([missing])
    expect(deleted.failures[0]!.error).toBeInstanceOf(GroupIdNotFoundError)
    expect(deleted.succeeded).toEqual([{ groupId }])

    expect(await rejection(admin.fetchOffsets({ groupId, topics: [uniqueTopic('no-such-topic')] }))).toBeInstanceOf(
      UnknownTopicOrPartitionError,
    )
    expect(
      await rejection(admin.resetGroupOffsets({ groupId, topics: [{ topic, partitions: [0, 9] }], to: 'earliest' })),
    ).toBeInstanceOf(UnknownTopicOrPartitionError)
    expect(await rejection(admin.resetGroupOffsets({ groupId, to: { shiftBy: 1n }, topics: [topic] }))).toBeInstanceOf(
      InvalidMessageError,
    )
    await expect(admin.listGroups({ types: ['classical' as 'classic'] })).rejects.toThrow(
      /types must be among classic, consumer/,
    )
  })
})
