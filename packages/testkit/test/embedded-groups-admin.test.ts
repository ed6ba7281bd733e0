import { KafkaClient } from '@kafkit/client'
import { createJoinGroupRequest, createOffsetCommitRequest } from '@kafkit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import { subscription, TestMember } from './support/group-member.js'

const NOT_COORDINATOR = 16
const NON_EMPTY_GROUP = 68
const GROUP_ID_NOT_FOUND = 69

let kafka: EmbeddedKafka
let client: KafkaClient
let count = 0

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 3, security: false })
  kafka.control.state.createTopic('events', 2, 3)
  client = new KafkaClient({ brokers: kafka.bootstrapServers })
  await client.cluster.connect()
})

afterAll(async () => {
  await client?.close()
  await kafka?.stop()
})

async function setup() {
  const groupId = `admin-${count++}`
  const coordinator = await client.cluster.findCoordinator('group', groupId)
  const elsewhere = [1, 2, 3].find((id) => id !== coordinator)!
  return { groupId, coordinator, elsewhere }
}

/** A Stable group of one consumer subscribed to `events`, assigned `assignment`. */
async function stableMember(groupId: string, coordinator: number, assignment = Buffer.from('p0')) {
  const member = new TestMember(client, {
    groupId,
    coordinator,
    groupInstanceId: `${groupId}-instance`,
    protocols: [{ name: 'range', metadata: subscription(['events']) }],
  })
  await member.join()
  await member.sync({ [member.memberId]: assignment })
  return member
}

describe('group requests sent to a broker that does not coordinate the group', () => {
  it('answer NOT_COORDINATOR', async () => {
    const { groupId, elsewhere } = await setup()
    const join = await client.cluster.request(
      elsewhere,
      'JoinGroup',
      createJoinGroupRequest({
        groupId,
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 10_000,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: subscription(['events']) }],
      }),
    )
    expect(join.errorCode).toBe(NOT_COORDINATOR)
    const commit = await client.cluster.request(
      elsewhere,
      'OffsetCommit',
      createOffsetCommitRequest({
        groupId,
        topics: [
          {
            name: 'events',
            topicId: '',
            partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: '' }],
          },
        ],
      }),
    )
    expect(commit.topics[0]?.partitions[0]?.errorCode).toBe(NOT_COORDINATOR)
    const fetch = await client.cluster.request(elsewhere, 'OffsetFetch', {
      groupId: '',
      topics: [],
      requireStable: false,
      groups: [{ groupId, memberId: null, memberEpoch: -1, topics: null }],
    })
    expect(fetch.groups[0]?.errorCode).toBe(NOT_COORDINATOR)
    // Before v8 the error is top-level, and v1, which has no top-level error, puts it on each partition.
    const single = { groupId, topics: [{ name: 'events', partitionIndexes: [0] }], requireStable: false, groups: [] }
    const v7 = await client.cluster.request(elsewhere, 'OffsetFetch', single, { version: 7 })
    expect(v7.errorCode).toBe(NOT_COORDINATOR)
    const v1 = await client.cluster.request(elsewhere, 'OffsetFetch', single, { version: 1 })
    expect(v1.topics[0]?.partitions[0]).toMatchObject({ errorCode: NOT_COORDINATOR, committedOffset: -1n })
    const heartbeat = await client.cluster.request(elsewhere, 'Heartbeat', {
      groupId,
      generationId: 1,
      memberId: 'm',
      groupInstanceId: null,
    })
    expect(heartbeat.errorCode).toBe(NOT_COORDINATOR)
    const described = await client.cluster.request(elsewhere, 'DescribeGroups', {
      groups: [groupId],
      includeAuthorizedOperations: false,
    })
    expect(described.groups[0]?.errorCode).toBe(NOT_COORDINATOR)
    const deleted = await client.cluster.request(elsewhere, 'DeleteGroups', { groupsNames: [groupId] })
    expect(deleted.results[0]?.errorCode).toBe(NOT_COORDINATOR)
  })
})

describe('describing and listing groups', () => {
  it('describes a Stable group with its protocol, members, metadata and assignments', async () => {
    const { groupId, coordinator } = await setup()
    const member = await stableMember(groupId, coordinator, Buffer.from('assigned'))
    const response = await client.cluster.request(coordinator, 'DescribeGroups', {
      groups: [groupId],
      includeAuthorizedOperations: false,
    })
    expect(response.groups[0]).toMatchObject({
      errorCode: 0,
      groupId,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [
        {
          memberId: member.memberId,
          groupInstanceId: `${groupId}-instance`,
          clientId: 'kafkit',
          clientHost: '/127.0.0.1',
          memberMetadata: subscription(['events']),
          memberAssignment: Buffer.from('assigned'),
        },
      ],
    })
  })

  it('reports an unknown group Dead, with GROUP_ID_NOT_FOUND from v6', async () => {
    const { groupId, coordinator } = await setup()
    const request = { groups: [groupId], includeAuthorizedOperations: false }
    const v6 = await client.cluster.request(coordinator, 'DescribeGroups', request, { version: 6 })
    expect(v6.groups[0]).toMatchObject({ groupState: 'Dead', errorCode: GROUP_ID_NOT_FOUND })
    const v5 = await client.cluster.request(coordinator, 'DescribeGroups', request, { version: 5 })
    expect(v5.groups[0]).toMatchObject({ groupState: 'Dead', errorCode: 0 })
  })

  it('lists the groups each broker coordinates, filtered by state and type', async () => {
    const { groupId, coordinator } = await setup()
    await stableMember(groupId, coordinator)
    const list = async (nodeId: number, statesFilter: string[], typesFilter: string[] = []) => {
      const response = await client.cluster.request(nodeId, 'ListGroups', { statesFilter, typesFilter })
      return response.groups.filter((g) => g.groupId === groupId)
    }
    expect(await list(coordinator, [])).toEqual([
      { groupId, protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
    ])
    expect(await list(coordinator, ['stable'], ['Classic'])).toHaveLength(1)
    expect(await list(coordinator, ['Empty'])).toEqual([])
    expect(await list(coordinator, [], ['consumer'])).toEqual([])
    const others = [1, 2, 3].filter((id) => id !== coordinator)
    for (const other of others) expect(await list(other, [])).toEqual([])
  })
})

describe('deleting groups', () => {
  it('refuses a group with members, deletes it with its offsets once empty, and then does not find it', async () => {
    const { groupId, coordinator } = await setup()
    const member = await stableMember(groupId, coordinator)
    const deleteGroup = async () =>
      (await client.cluster.request(coordinator, 'DeleteGroups', { groupsNames: [groupId] })).results[0]?.errorCode
    expect(await deleteGroup()).toBe(NON_EMPTY_GROUP)
    expect(await member.leave()).toBe(0)
    const committed = await client.cluster.request(
      coordinator,
      'OffsetCommit',
      createOffsetCommitRequest({
        groupId,
        topics: [
          {
            name: 'events',
            topicId: '',
            partitions: [{ partitionIndex: 1, committedOffset: 9n, committedLeaderEpoch: -1, committedMetadata: '' }],
          },
        ],
      }),
    )
    expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(0)
    expect(await deleteGroup()).toBe(0)
    expect(await deleteGroup()).toBe(GROUP_ID_NOT_FOUND)
    const fetched = await client.cluster.request(coordinator, 'OffsetFetch', {
      groupId: '',
      topics: [],
      requireStable: false,
      groups: [{ groupId, memberId: null, memberEpoch: -1, topics: null }],
    })
    expect(fetched.groups[0]?.topics).toEqual([])
    const described = await client.cluster.request(coordinator, 'DescribeGroups', {
      groups: [groupId],
      includeAuthorizedOperations: false,
    })
    expect(described.groups[0]?.groupState).toBe('Dead')
  })
})
