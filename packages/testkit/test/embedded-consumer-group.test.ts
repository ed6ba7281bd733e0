import {
  createConsumerGroupDescribeRequest,
  createDescribeGroupsRequest,
  createJoinGroupRequest,
  createListGroupsRequest,
  createOffsetCommitRequest,
  createOffsetDeleteRequest,
  createOffsetFetchRequest,
  ZERO_UUID,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { KipMember, type KipMemberOptions } from './support/consumer-group-member.js'
import { eventually } from './support/group-member.js'
import { NODE, useSingleBroker } from './support/single-broker.js'

const INVALID_REQUEST = 42
const UNKNOWN_MEMBER_ID = 25
const FENCED_MEMBER_EPOCH = 110
const UNRELEASED_INSTANCE_ID = 111
const UNSUPPORTED_ASSIGNOR = 112
const GROUP_ID_NOT_FOUND = 69
const INVALID_REGULAR_EXPRESSION = 128
const GROUP_SUBSCRIBED_TO_TOPIC = 86
const STALE_MEMBER_EPOCH = 113
const INCONSISTENT_GROUP_PROTOCOL = 23

const broker = useSingleBroker('kip848')
let groups = 0
const newGroup = () => `kip848-group-${groups++}`

async function member(options: Omit<KipMemberOptions, 'coordinator'>): Promise<KipMember> {
  const coordinator = await broker.client.cluster.findCoordinator('group', options.groupId)
  return new KipMember(broker.client, { coordinator, ...options })
}

function topicIdOf(name: string): string {
  const topic = broker.kafka.control.state.topics.get(name)
  if (!topic) throw new Error(`no topic ${name}`)
  return topic.topicId
}

async function describeGroup(groupId: string) {
  const response = await broker.client.cluster.request(
    NODE,
    'ConsumerGroupDescribe',
    createConsumerGroupDescribeRequest({ groupIds: [groupId] }),
  )
  return response.groups[0]!
}

function setConfig(name: string, value: string): void {
  const configs = broker.kafka.control.state.brokerConfigs.get('') ?? new Map<string, string>()
  configs.set(name, value)
  broker.kafka.control.state.brokerConfigs.set('', configs)
}

describe('joining a consumer group (KIP-848)', () => {
  it('gives the first member every partition at group epoch 1, with the heartbeat interval', async () => {
    const topic = broker.topic(4)
    const a = await member({ groupId: newGroup(), topics: [topic] })
    const joined = await a.full()
    expect(joined).toMatchObject({ errorCode: 0, memberId: a.memberId, memberEpoch: 1, heartbeatIntervalMs: 5000 })
    expect(joined.assignment?.topicPartitions).toEqual([{ topicId: topicIdOf(topic), partitions: [0, 1, 2, 3] }])
    a.apply(joined)
    // A partial heartbeat with nothing new carries no assignment.
    const again = await a.partial()
    expect(again).toMatchObject({ errorCode: 0, memberEpoch: 1, assignment: null })
  })

  it('validates the first heartbeat as Kafka does', async () => {
    const groupId = newGroup()
    const a = await member({ groupId })
    expect(await a.send({ rebalanceTimeoutMs: -1, subscribedTopicNames: [], topicPartitions: [] })).toMatchObject({
      errorCode: INVALID_REQUEST,
      errorMessage: 'RebalanceTimeoutMs must be provided in first request.',
    })
    expect(await a.send({ rebalanceTimeoutMs: 1000, topicPartitions: [] })).toMatchObject({
      errorCode: INVALID_REQUEST,
      errorMessage: 'Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.',
    })
    expect(
      await a.send({
        rebalanceTimeoutMs: 1000,
        subscribedTopicNames: ['x'],
        topicPartitions: [],
        serverAssignor: 'sticky',
      }),
    ).toMatchObject({ errorCode: UNSUPPORTED_ASSIGNOR })
    a.memberEpoch = 3
    expect(await a.partial()).toMatchObject({
      errorCode: GROUP_ID_NOT_FOUND,
      errorMessage: `Consumer group ${groupId} not found.`,
    })
    a.memberEpoch = 0
    expect(await a.send({ rebalanceTimeoutMs: 1000, subscribedTopicRegex: '(', topicPartitions: [] })).toMatchObject({
      errorCode: INVALID_REGULAR_EXPRESSION,
    })
  })

  it('revokes before it reassigns: the newcomer gets a partition only after its previous owner acknowledged giving it up', async () => {
    const topic = broker.topic(6)
    const groupId = newGroup()
    const a = await member({ groupId, topics: [topic] })
    a.apply(await a.full())
    expect(a.count()).toBe(6)

    const b = await member({ groupId, topics: [topic] })
    const bJoined = await b.full()
    b.apply(bJoined)
    // Group epoch 2: b is at the target epoch but everything it should get is still owned by a.
    expect(bJoined.memberEpoch).toBe(2)
    expect(b.count()).toBe(0)
    expect((await describeGroup(groupId)).groupState).toBe('Reconciling')

    // a learns it must give three partitions up; its epoch stays 1 until it acknowledges.
    const aTold = await a.partial()
    expect(aTold.memberEpoch).toBe(1)
    expect(aTold.assignment?.topicPartitions[0]?.partitions).toHaveLength(3)
    // Before a acknowledges, b still gets nothing.
    expect((await b.partial()).assignment).toBeNull()

    a.apply(aTold)
    const aAcked = await a.ack()
    expect(aAcked.memberEpoch).toBe(2)
    a.apply(aAcked)

    const bGets = await b.partial()
    b.apply(bGets)
    expect(b.count()).toBe(3)
    const aSet = new Set(a.owned.get(topicIdOf(topic)))
    expect(b.owned.get(topicIdOf(topic))?.some((p) => aSet.has(p))).toBe(false)
    const described = await describeGroup(groupId)
    expect(described).toMatchObject({
      groupState: 'Stable',
      groupEpoch: 2,
      assignmentEpoch: 2,
      assignorName: 'uniform',
    })
    expect(described.members.map((m) => m.memberEpoch)).toEqual([2, 2])
  })

  it('fences a member heartbeating with an epoch the coordinator does not know', async () => {
    const topic = broker.topic(2)
    const a = await member({ groupId: newGroup(), topics: [topic] })
    a.apply(await a.full())
    a.memberEpoch = 5
    expect((await a.partial()).errorCode).toBe(FENCED_MEMBER_EPOCH)
  })

  it('splits partitions into ranges with the range assignor', async () => {
    const topic = broker.topic(5)
    const groupId = newGroup()
    const [a, b] = [
      await member({ groupId, topics: [topic], serverAssignor: 'range' }),
      await member({ groupId, topics: [topic], serverAssignor: 'range' }),
    ]
    a.memberId = '1-a'
    b.memberId = '2-b'
    a.apply(await a.full())
    b.apply(await b.full())
    a.apply(await a.partial())
    a.apply(await a.ack())
    b.apply(await b.partial())
    expect(a.owned.get(topicIdOf(topic))).toEqual([0, 1, 2])
    expect(b.owned.get(topicIdOf(topic))).toEqual([3, 4])
    expect((await describeGroup(groupId)).assignorName).toBe('range')
  })

  it('resolves a subscription regex against the topics, including ones created later', async () => {
    const prefix = `re${groups}`
    broker.kafka.control.state.createTopic(`${prefix}-one`, 2, 1, new Map())
    const a = await member({ groupId: newGroup(), regex: `${prefix}-.*` })
    const joined = await a.full()
    a.apply(joined)
    expect(a.count()).toBe(2)
    broker.kafka.control.state.createTopic(`${prefix}-two`, 1, 1, new Map())
    const later = await a.partial()
    expect(later.memberEpoch).toBe(2)
    a.apply(later)
    expect(a.count()).toBe(3)
  })
})

describe('leaving and expiring', () => {
  it('hands a leaving member’s partitions to the others at once', async () => {
    const topic = broker.topic(4)
    const groupId = newGroup()
    const a = await member({ groupId, topics: [topic] })
    const b = await member({ groupId, topics: [topic] })
    a.apply(await a.full())
    b.apply(await b.full())
    a.apply(await a.partial())
    a.apply(await a.ack())
    b.apply(await b.partial())
    expect(a.count() + b.count()).toBe(4)
    expect(await b.leave()).toMatchObject({ errorCode: 0, memberId: b.memberId, memberEpoch: -1 })
    const after = await a.partial()
    a.apply(after)
    expect(a.count()).toBe(4)
    expect(after.memberEpoch).toBe(3)
  })

  it('removes a member whose session expires; its next heartbeat is UNKNOWN_MEMBER_ID', async () => {
    setConfig('group.consumer.session.timeout.ms', '200')
    try {
      const topic = broker.topic(2)
      const groupId = newGroup()
      const a = await member({ groupId, topics: [topic] })
      a.apply(await a.full())
      await eventually(async () => ((await describeGroup(groupId)).groupState === 'Empty' ? true : undefined))
      expect((await a.partial()).errorCode).toBe(UNKNOWN_MEMBER_ID)
    } finally {
      setConfig('group.consumer.session.timeout.ms', '45000')
    }
  })

  it('fences a member that does not revoke within its rebalance timeout', async () => {
    const topic = broker.topic(2)
    const groupId = newGroup()
    const a = await member({ groupId, topics: [topic], rebalanceTimeoutMs: 100 })
    a.apply(await a.full())
    const b = await member({ groupId, topics: [topic] })
    b.apply(await b.full())
    a.apply(await a.partial())
    // a never acknowledges: its rebalance timeout passes and b gets everything.
    await eventually(async () => {
      const response = await b.partial()
      b.apply(response)
      return b.count() === 2 ? true : undefined
    })
    expect((await a.ack()).errorCode).toBe(UNKNOWN_MEMBER_ID)
  })
})

describe('static membership', () => {
  it('lets a restarted static member take over its assignment without a new group epoch', async () => {
    const topic = broker.topic(4)
    const groupId = newGroup()
    const a = await member({ groupId, topics: [topic], instanceId: 'instance-a' })
    a.apply(await a.full())
    const b = await member({ groupId, topics: [topic], instanceId: 'instance-b' })
    b.apply(await b.full())
    a.apply(await a.partial())
    a.apply(await a.ack())
    b.apply(await b.partial())
    const epoch = (await describeGroup(groupId)).groupEpoch
    const before = a.owned

    // A second process with the same instance id cannot join while the first one is in.
    const twin = await member({ groupId, topics: [topic], instanceId: 'instance-a' })
    expect((await twin.full()).errorCode).toBe(UNRELEASED_INSTANCE_ID)

    expect(await a.leave()).toMatchObject({ errorCode: 0, memberEpoch: -2 })
    const restarted = await twin.full()
    expect(restarted).toMatchObject({ errorCode: 0, memberId: twin.memberId, memberEpoch: epoch })
    twin.apply(restarted)
    expect(twin.owned).toEqual(before)
    expect((await describeGroup(groupId)).groupEpoch).toBe(epoch)
  })
})

describe('other group APIs see consumer groups', () => {
  it('lists them with type consumer and refuses to describe them as classic groups', async () => {
    const topic = broker.topic(1)
    const groupId = newGroup()
    const a = await member({ groupId, topics: [topic] })
    a.apply(await a.full())
    const listed = await broker.client.cluster.request(
      NODE,
      'ListGroups',
      createListGroupsRequest({ typesFilter: ['consumer'] }),
    )
    expect(listed.groups).toContainEqual({
      groupId,
      protocolType: 'consumer',
      groupState: 'Stable',
      groupType: 'consumer',
    })
    const classicOnly = await broker.client.cluster.request(
      NODE,
      'ListGroups',
      createListGroupsRequest({ typesFilter: ['classic'] }),
    )
    expect(classicOnly.groups.map((g) => g.groupId)).not.toContain(groupId)
    const described = await broker.client.cluster.request(
      NODE,
      'DescribeGroups',
      createDescribeGroupsRequest({ groups: [groupId] }),
    )
    expect(described.groups[0]).toMatchObject({
      groupState: 'Dead',
      errorCode: GROUP_ID_NOT_FOUND,
      errorMessage: `Group ${groupId} is not a classic group.`,
    })
    expect(await describeGroup('no-such-group')).toMatchObject({ errorCode: GROUP_ID_NOT_FOUND })
  })
})

describe('offsets of a consumer group', () => {
  it('accepts commits at the member epoch and answers STALE_MEMBER_EPOCH for another one', async () => {
    const topic = broker.topic(1)
    const groupId = newGroup()
    const a = await member({ groupId, topics: [topic] })
    a.apply(await a.full())
    const commit = (epoch: number, memberId = a.memberId) =>
      broker.client.cluster.request(
        NODE,
        'OffsetCommit',
        createOffsetCommitRequest({
          groupId,
          generationIdOrMemberEpoch: epoch,
          memberId,
          topics: [
            {
              name: topic,
              topicId: ZERO_UUID,
              partitions: [{ partitionIndex: 0, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: '' }],
            },
          ],
        }),
        { version: 9 },
      )
    expect((await commit(a.memberEpoch)).topics[0]?.partitions[0]?.errorCode).toBe(0)
    expect((await commit(a.memberEpoch + 1)).topics[0]?.partitions[0]?.errorCode).toBe(STALE_MEMBER_EPOCH)
    expect((await commit(a.memberEpoch, 'stranger')).topics[0]?.partitions[0]?.errorCode).toBe(UNKNOWN_MEMBER_ID)
    const fetched = await broker.client.cluster.request(
      NODE,
      'OffsetFetch',
      createOffsetFetchRequest({
        groups: [
          {
            groupId,
            memberId: a.memberId,
            memberEpoch: a.memberEpoch,
            topics: [{ name: topic, topicId: ZERO_UUID, partitionIndexes: [0] }],
          },
        ],
      }),
      { version: 9 },
    )
    expect(fetched.groups[0]?.topics[0]?.partitions[0]?.committedOffset).toBe(7n)
  })

  it('refuses a classic JoinGroup for a live consumer group', async () => {
    const topic = broker.topic(1)
    const groupId = newGroup()
    const a = await member({ groupId, topics: [topic] })
    a.apply(await a.full())
    const joined = await broker.client.cluster.request(
      NODE,
      'JoinGroup',
      createJoinGroupRequest({
        groupId,
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 10_000,
        memberId: '',
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
      }),
    )
    expect(joined.errorCode).toBe(INCONSISTENT_GROUP_PROTOCOL)
  })

  it('deletes offsets only of topics no member subscribes to', async () => {
    const subscribedTopic = broker.topic(1)
    const other = broker.topic(1)
    const groupId = newGroup()
    const a = await member({ groupId, topics: [subscribedTopic] })
    a.apply(await a.full())
    const deleted = await broker.client.cluster.request(
      NODE,
      'OffsetDelete',
      createOffsetDeleteRequest({
        groupId,
        topics: [
          { name: subscribedTopic, partitions: [{ partitionIndex: 0 }] },
          { name: other, partitions: [{ partitionIndex: 0 }] },
        ],
      }),
    )
    expect(deleted.errorCode).toBe(0)
    expect(deleted.topics.map((t) => [t.name, t.partitions[0]?.errorCode])).toEqual([
      [subscribedTopic, GROUP_SUBSCRIBED_TO_TOPIC],
      [other, 0],
    ])
  })
})
