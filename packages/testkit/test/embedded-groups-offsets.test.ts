import { KafkaClient } from '@kafkit/client'
import { createOffsetCommitRequest, createOffsetFetchRequest } from '@kafkit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import { subscription, TestMember } from './support/group-member.js'

const UNKNOWN_TOPIC_OR_PARTITION = 3
const ILLEGAL_GENERATION = 22
const UNKNOWN_MEMBER_ID = 25
const REBALANCE_IN_PROGRESS = 27
const GROUP_ID_NOT_FOUND = 69
const NON_EMPTY_GROUP = 68
const GROUP_SUBSCRIBED_TO_TOPIC = 86

let kafka: EmbeddedKafka
let client: KafkaClient
let count = 0

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ security: false })
  kafka.control.state.createTopic('orders', 3, 1)
  kafka.control.state.createTopic('audit', 1, 1)
  client = new KafkaClient({ brokers: kafka.bootstrapServers })
  await client.cluster.connect()
})

afterAll(async () => {
  await client?.close()
  await kafka?.stop()
})

async function setup() {
  const groupId = `offsets-${count++}`
  const coordinator = await client.cluster.findCoordinator('group', groupId)
  return { groupId, coordinator }
}

interface Commit {
  generation?: number
  memberId?: string
  topic?: string
  partition?: number
  offset?: bigint
  leaderEpoch?: number
  metadata?: string | null
  version?: number
}

async function commit(coordinator: number, groupId: string, c: Commit = {}): Promise<number> {
  const body = createOffsetCommitRequest({
    groupId,
    generationIdOrMemberEpoch: c.generation ?? -1,
    memberId: c.memberId ?? '',
    topics: [
      {
        name: c.topic ?? 'orders',
        topicId: '',
        partitions: [
          {
            partitionIndex: c.partition ?? 0,
            committedOffset: c.offset ?? 42n,
            committedLeaderEpoch: c.leaderEpoch ?? 3,
            committedMetadata: c.metadata === undefined ? 'note' : c.metadata,
          },
        ],
      },
    ],
  })
  const response = await client.cluster.request(coordinator, 'OffsetCommit', body, { version: c.version })
  return response.topics[0]?.partitions[0]?.errorCode ?? -999
}

describe('committing and fetching offsets', () => {
  it('keeps the offset, leader epoch and metadata a simple consumer commits, and fetches them back', async () => {
    const { groupId, coordinator } = await setup()
    expect(await commit(coordinator, groupId, { offset: 42n, leaderEpoch: 3, metadata: 'note' })).toBe(0)
    expect(await commit(coordinator, groupId, { partition: 2, offset: 7n, leaderEpoch: -1, metadata: null })).toBe(0)
    const fetched = await client.cluster.request(
      coordinator,
      'OffsetFetch',
      createOffsetFetchRequest({ groupId, topics: [{ name: 'orders', partitionIndexes: [0, 1, 2] }] }),
      { version: 7 },
    )
    expect(fetched.errorCode).toBe(0)
    expect(fetched.topics[0]?.partitions).toEqual([
      expect.objectContaining({ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 3, metadata: 'note' }),
      expect.objectContaining({ partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '' }),
      expect.objectContaining({ partitionIndex: 2, committedOffset: 7n, committedLeaderEpoch: -1, metadata: '' }),
    ])
  })

  it('fetches every committed partition when topics is null, for several groups at once from v8', async () => {
    const first = await setup()
    const second = await setup()
    await commit(first.coordinator, first.groupId, { topic: 'audit', offset: 5n })
    await commit(first.coordinator, first.groupId, { topic: 'orders', partition: 1, offset: 6n })
    const response = await client.cluster.request(first.coordinator, 'OffsetFetch', {
      groupId: '',
      topics: [],
      requireStable: true,
      groups: [
        { groupId: first.groupId, memberId: null, memberEpoch: -1, topics: null },
        { groupId: second.groupId, memberId: null, memberEpoch: -1, topics: null },
      ],
    })
    const byGroup = new Map(response.groups.map((g) => [g.groupId, g]))
    const offsets = byGroup
      .get(first.groupId)
      ?.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}@${p.committedOffset}`))
    expect(offsets?.sort()).toEqual(['audit-0@5', 'orders-1@6'])
    expect(byGroup.get(second.groupId)).toMatchObject({ errorCode: 0, topics: [] })
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist', async () => {
    const { groupId, coordinator } = await setup()
    expect(await commit(coordinator, groupId, { topic: 'missing' })).toBe(UNKNOWN_TOPIC_OR_PARTITION)
    expect(await commit(coordinator, groupId, { partition: 9 })).toBe(UNKNOWN_TOPIC_OR_PARTITION)
  })

  it('refuses a commit with a generation for a group that does not exist: GROUP_ID_NOT_FOUND from v9, ILLEGAL_GENERATION before', async () => {
    const { groupId, coordinator } = await setup()
    expect(await commit(coordinator, groupId, { generation: 1, memberId: 'm', version: 9 })).toBe(GROUP_ID_NOT_FOUND)
    expect(await commit(coordinator, groupId, { generation: 1, memberId: 'm', version: 8 })).toBe(ILLEGAL_GENERATION)
  })

  it('checks member and generation for commits to a group with members', async () => {
    const { groupId, coordinator } = await setup()
    const member = new TestMember(client, { groupId, coordinator })
    await member.join()
    // Joined but not synced: the member must not commit yet.
    expect(await commit(coordinator, groupId, { generation: 1, memberId: member.memberId })).toBe(REBALANCE_IN_PROGRESS)
    await member.sync({ [member.memberId]: Buffer.from('x') })
    expect(await commit(coordinator, groupId, { generation: 1, memberId: member.memberId })).toBe(0)
    expect(await commit(coordinator, groupId, { generation: 0, memberId: member.memberId })).toBe(ILLEGAL_GENERATION)
    expect(await commit(coordinator, groupId, { generation: 1, memberId: 'other' })).toBe(UNKNOWN_MEMBER_ID)
    // Outside group management (generation -1, no member id) only an empty group takes commits.
    expect(await commit(coordinator, groupId)).toBe(UNKNOWN_MEMBER_ID)
    await member.leave()
    expect(await commit(coordinator, groupId)).toBe(0)
  })
})

describe('deleting offsets', () => {
  it('refuses to delete the offsets of a topic a consumer group member subscribes to, and deletes the others', async () => {
    const { groupId, coordinator } = await setup()
    await commit(coordinator, groupId, { topic: 'orders' })
    await commit(coordinator, groupId, { topic: 'audit' })
    const member = new TestMember(client, {
      groupId,
      coordinator,
      protocols: [{ name: 'range', metadata: subscription(['orders']) }],
    })
    await member.join()
    await member.sync({})
    const response = await client.cluster.request(coordinator, 'OffsetDelete', {
      groupId,
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0 }] },
        { name: 'audit', partitions: [{ partitionIndex: 0 }] },
        { name: 'missing', partitions: [{ partitionIndex: 0 }] },
      ],
    })
    expect(response.errorCode).toBe(0)
    const codes = Object.fromEntries(response.topics.map((t) => [t.name, t.partitions[0]?.errorCode]))
    expect(codes).toEqual({ orders: GROUP_SUBSCRIBED_TO_TOPIC, audit: 0, missing: UNKNOWN_TOPIC_OR_PARTITION })
    const fetched = await client.cluster.request(coordinator, 'OffsetFetch', {
      groupId: '',
      topics: [],
      requireStable: false,
      groups: [{ groupId, memberId: null, memberEpoch: -1, topics: null }],
    })
    expect(fetched.groups[0]?.topics.map((t) => t.name)).toEqual(['orders'])
  })

  it('refuses a busy group of another protocol type, and an unknown group', async () => {
    const { groupId, coordinator } = await setup()
    const member = new TestMember(client, { groupId, coordinator, protocolType: 'connect' })
    await member.join()
    const request = { groupId, topics: [{ name: 'audit', partitions: [{ partitionIndex: 0 }] }] }
    expect((await client.cluster.request(coordinator, 'OffsetDelete', request)).errorCode).toBe(NON_EMPTY_GROUP)
    const unknown = { ...request, groupId: `${groupId}-unknown` }
    const other = await client.cluster.findCoordinator('group', unknown.groupId)
    expect((await client.cluster.request(other, 'OffsetDelete', unknown)).errorCode).toBe(GROUP_ID_NOT_FOUND)
  })
})
