import {
  encodeConsumerProtocolAssignment,
  encodeConsumerProtocolSubscription,
  NonEmptyGroupError,
  UnsupportedVersionError,
  Writer,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { AdminPartialFailureError } from '../src/admin-error.js'
import { alterGroupOffsets } from '../src/groups/alter-offsets.js'
import { readAssignment, readSubscription } from '../src/groups/consumer-protocol-bytes.js'
import { deleteGroups } from '../src/groups/delete-groups.js'
import { deleteGroupOffsets } from '../src/groups/delete-offsets.js'
import { describeGroups } from '../src/groups/describe-groups.js'
import { fetchOffsets } from '../src/groups/fetch-offsets.js'
import { ActiveGroupError } from '../src/groups/group-errors.js'
import { fetchGroupLag } from '../src/groups/group-lag.js'
import { listGroups } from '../src/groups/list-groups.js'
import { resetGroupOffsets } from '../src/groups/reset-offsets.js'
import { coordinatorRouter, expectInvalidArgument } from './support/coordinator-router.js'
import { unusedRouter } from './support/scripted-router.js'

const GROUP_ID_NOT_FOUND = 69

function versioned(encode: (w: Writer) => void, version: number): Buffer {
  const w = new Writer()
  w.int16(version)
  encode(w)
  return Buffer.from(w.bytes())
}

describe('consumer group calls fail invalid arguments at the call', () => {
  const router = unusedRouter()
  it.each([
    [
      'listGroups types',
      () => listGroups(router, { types: ['classical' as 'classic'] }),
      /types must be among classic/,
    ],
    ['listGroups unknown option', () => listGroups(router, { state: ['Stable'] } as never), /no option "state"/],
    ['describeGroups without ids', () => describeGroups(router, []), /groupIds must be a non-empty array/],
    ['deleteGroups empty id', () => deleteGroups(router, ['']), /group id must be a non-empty string/],
    [
      'fetchOffsets topics',
      () => fetchOffsets(router, { groupId: 'g', topics: 'orders' as never }),
      /topics must be an array/,
    ],
    [
      'alterGroupOffsets negative offset',
      () => alterGroupOffsets(router, { groupId: 'g', offsets: [{ topic: 't', partition: 0, offset: -1n }] }),
      /offset of t-0 must be a bigint offset >= 0/,
    ],
    [
      'alterGroupOffsets partition',
      () => alterGroupOffsets(router, { groupId: 'g', offsets: [{ topic: 't', partition: -1, offset: 0n }] }),
      /partition of t must be an integer >= 0/,
    ],
    [
      'resetGroupOffsets target',
      () => resetGroupOffsets(router, { groupId: 'g', to: 'beginning' as never }),
      /to must be 'earliest', 'latest'/,
    ],
    [
      'resetGroupOffsets partitions',
      () => resetGroupOffsets(router, { groupId: 'g', to: 'earliest', topics: [{ topic: 't', partitions: [1.5] }] }),
      /partitions of t must be an array of partition indexes/,
    ],
    [
      'deleteGroupOffsets group',
      () => deleteGroupOffsets(router, { groupId: '', topics: ['t'] }),
      /groupId must be a non-empty string/,
    ],
    [
      'fetchGroupLag option',
      () => fetchGroupLag(router, { groupId: 'g', partitions: [] } as never),
      /no option "partitions"/,
    ],
  ])('%s', (_name, call, message) => expectInvalidArgument(call, message))
})

describe('consumer protocol bytes of classic members', () => {
  it('reads a v3 subscription and an assignment, and reads a newer version as v3', () => {
    const subscription = versioned(
      (w) =>
        encodeConsumerProtocolSubscription(w, 3, {
          topics: ['orders'],
          userData: null,
          ownedPartitions: [{ topic: 'orders', partitions: [1] }],
          generationId: 4,
          rackId: 'rack-a',
        }),
      3,
    )
    expect(readSubscription(subscription)).toEqual({
      topics: ['orders'],
      ownedPartitions: [{ topic: 'orders', partitions: [1] }],
      userData: null,
      generationId: 4,
      rackId: 'rack-a',
    })
    const assignment = versioned(
      (w) =>
        encodeConsumerProtocolAssignment(w, 3, {
          assignedPartitions: [{ topic: 'orders', partitions: [0, 2] }],
          userData: Buffer.from('x'),
        }),
      7,
    )
    expect(readAssignment(assignment)).toEqual({
      topicPartitions: [{ topic: 'orders', partitions: [0, 2] }],
      userData: Buffer.from('x'),
    })
  })

  it('leaves bytes of another protocol undecoded', () => {
    expect(readAssignment(Buffer.alloc(0))).toBeNull()
    expect(readSubscription(Buffer.from([0, 0, 0xff, 0xff, 0xff]))).toBeNull()
    expect(readAssignment(Buffer.from([0xff, 0xff]))).toBeNull()
  })
})

describe('describeGroups', () => {
  it('falls back from ConsumerGroupDescribe to DescribeGroups for a classic group and decodes its members', async () => {
    const metadata = versioned(
      (w) =>
        encodeConsumerProtocolSubscription(w, 1, {
          topics: ['orders'],
          userData: null,
          ownedPartitions: [],
          generationId: -1,
          rackId: null,
        }),
      1,
    )
    const assignment = versioned(
      (w) =>
        encodeConsumerProtocolAssignment(w, 1, {
          assignedPartitions: [{ topic: 'orders', partitions: [2, 0] }],
          userData: null,
        }),
      1,
    )
    const { router, sent } = coordinatorRouter(({ api }) =>
      api === 'ConsumerGroupDescribe'
        ? {
            groups: [{ groupId: 'g', errorCode: GROUP_ID_NOT_FOUND, errorMessage: 'Group g is not a consumer group.' }],
          }
        : {
            groups: [
              {
                groupId: 'g',
                errorCode: 0,
                errorMessage: null,
                groupState: 'Stable',
                protocolType: 'consumer',
                protocolData: 'range',
                authorizedOperations: (1 << 3) | (1 << 8),
                members: [
                  {
                    memberId: 'm-1',
                    groupInstanceId: null,
                    clientId: 'c',
                    clientHost: '/10.0.0.1',
                    memberMetadata: metadata,
                    memberAssignment: assignment,
                  },
                ],
              },
            ],
          },
    )
    const { groups } = await describeGroups(router, ['g'], { includeAuthorizedOperations: true })
    expect(sent.map((r) => r.api)).toEqual(['ConsumerGroupDescribe', 'DescribeGroups'])
    expect(groups[0]).toMatchObject({
      type: 'classic',
      state: 'Stable',
      protocol: 'range',
      coordinatorId: 1,
      authorizedOperations: ['READ', 'DESCRIBE'],
    })
    expect(groups[0]!.members[0]).toMatchObject({
      memberId: 'm-1',
      assignment: [{ topic: 'orders', partitions: [2, 0] }],
      subscribedTopicNames: ['orders'],
      memberType: null,
    })
  })

  it('uses DescribeGroups when the coordinator does not speak ConsumerGroupDescribe', async () => {
    const { router, sent } = coordinatorRouter(({ api }) => {
      if (api === 'ConsumerGroupDescribe') throw new UnsupportedVersionError({ api })
      return {
        groups: [
          {
            groupId: 'g',
            errorCode: 0,
            groupState: 'Empty',
            protocolType: '',
            protocolData: '',
            members: [],
            authorizedOperations: 0,
          },
        ],
      }
    })
    const { groups } = await describeGroups(router, ['g'])
    expect(sent.map((r) => r.api)).toEqual(['ConsumerGroupDescribe', 'DescribeGroups'])
    expect(groups[0]).toMatchObject({ type: 'classic', state: 'Empty', authorizedOperations: null, members: [] })
  })

  it('reports a group Dead without an error (DescribeGroups before v6) as not found', async () => {
    const { router } = coordinatorRouter(({ api }) =>
      api === 'ConsumerGroupDescribe'
        ? { groups: [{ groupId: 'g', errorCode: GROUP_ID_NOT_FOUND }] }
        : {
            groups: [
              { groupId: 'g', errorCode: 0, groupState: 'Dead', protocolType: '', protocolData: '', members: [] },
            ],
          },
    )
    const error = await describeGroups(router, ['g']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AdminPartialFailureError)
    expect((error as AdminPartialFailureError).failures[0]?.error.message).toMatch(/GROUP_ID_NOT_FOUND.*does not exist/)
  })
})

describe('retries at the coordinator', () => {
  it('retries COORDINATOR_LOAD_IN_PROGRESS of a group, then describes it', async () => {
    let attempts = 0
    const { router } = coordinatorRouter(({ api }) => {
      if (api !== 'ConsumerGroupDescribe') throw new Error(`unexpected ${api}`)
      attempts++
      if (attempts === 1) return { groups: [{ groupId: 'g', errorCode: 14, errorMessage: null }] }
      return {
        groups: [
          {
            groupId: 'g',
            errorCode: 0,
            groupState: 'Empty',
            groupEpoch: 3,
            assignmentEpoch: 3,
            assignorName: 'uniform',
            members: [],
          },
        ],
      }
    })
    const { groups } = await describeGroups(router, ['g'])
    expect(attempts).toBe(2)
    expect(groups[0]).toMatchObject({ type: 'consumer', state: 'Empty', groupEpoch: 3, protocol: 'uniform' })
  })

  it('retries a partition answered UNSTABLE_OFFSET_COMMIT while requireStable waits for the transaction', async () => {
    let attempts = 0
    const { router, sent } = coordinatorRouter(() => {
      attempts++
      const partition = { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, metadata: '' }
      return {
        errorCode: 0,
        topics: [],
        groups: [
          {
            groupId: 'g',
            errorCode: 0,
            topics: [{ name: 't', partitions: [{ ...partition, errorCode: attempts === 1 ? 88 : 0 }] }],
          },
        ],
      }
    })
    expect(await fetchOffsets(router, { groupId: 'g', requireStable: true })).toEqual([
      { topic: 't', partitions: [{ partition: 0, offset: 5n, leaderEpoch: null, metadata: '' }] },
    ])
    expect(attempts).toBe(2)
    expect(sent[0]?.body).toMatchObject({ requireStable: true, groups: [{ groupId: 'g', topics: null }] })
  })
})

describe('listGroups', () => {
  it('asks every broker and merges what they list, sorted by group id', async () => {
    const { router, sent } = coordinatorRouter(
      ({ broker }) => ({
        errorCode: 0,
        groups: [{ groupId: `g-${broker}`, protocolType: 'consumer', groupState: 'Empty', groupType: 'classic' }],
      }),
      { brokers: [2, 1] },
    )
    const { groups } = await listGroups(router, { states: ['Empty'] })
    expect(sent.map((r) => [r.broker, r.body])).toEqual([
      [1, { statesFilter: ['Empty'], typesFilter: [] }],
      [2, { statesFilter: ['Empty'], typesFilter: [] }],
    ])
    expect(groups.map((g) => [g.groupId, g.coordinatorId])).toEqual([
      ['g-1', 1],
      ['g-2', 2],
    ])
  })

  it('fails brokers too old for a types filter, naming them', async () => {
    const { router } = coordinatorRouter(() => ({ errorCode: 0, groups: [] }), { version: 4, brokers: [2, 1] })
    const error = await listGroups(router, { types: ['consumer'] }).catch((e: unknown) => e)
    expect((error as AdminPartialFailureError).failures.map((f) => f.entry)).toEqual(['BROKER:1', 'BROKER:2'])
    expect((error as AdminPartialFailureError).failures[0]?.error).toBeInstanceOf(UnsupportedVersionError)
  })
})

describe('ActiveGroupError', () => {
  it('is a NonEmptyGroupError saying how many members the group has and what to do', () => {
    const error = new ActiveGroupError('orders', 'Stable', 2, 'resetGroupOffsets')
    expect(error).toBeInstanceOf(NonEmptyGroupError)
    expect(error.message).toMatch(/group orders has 2 active members \(state Stable\); stop its consumers/)
  })
})
