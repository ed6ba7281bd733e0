import {
  InvalidMessageError,
  NotControllerError,
  TopicAlreadyExistsError,
  UnsupportedVersionError,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { AdminPartialFailureError } from '../src/admin-error.js'
import { createPartitions } from '../src/topics/create-partitions.js'
import { createTopics } from '../src/topics/create-topics.js'
import { deleteTopics } from '../src/topics/delete-topics.js'
import { describeTopics } from '../src/topics/describe-topics.js'
import { scriptedRouter, unusedRouter } from './support/scripted-router.js'

const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ'

function createdTopic(name: string, errorCode = 0, errorMessage: string | null = null) {
  return {
    name,
    topicId: errorCode ? 'AAAAAAAAAAAAAAAAAAAAAA' : TOPIC_ID,
    errorCode,
    errorMessage,
    topicConfigErrorCode: 0,
    numPartitions: errorCode ? -1 : 3,
    replicationFactor: errorCode ? -1 : 1,
    configs: errorCode
      ? null
      : [{ name: 'cleanup.policy', value: 'delete', readOnly: false, configSource: 5, isSensitive: false }],
  }
}

describe('createTopics', () => {
  it('fails bad arguments at the call, saying what to change', async () => {
    const router = unusedRouter()
    await expect(createTopics(router, { topics: [] })).rejects.toThrow(/non-empty array/)
    await expect(createTopics(router, { topics: [{ topic: '' }] })).rejects.toThrow(
      /topics\[0\]\.topic must be a non-empty string/,
    )
    await expect(createTopics(router, { topics: [{ topic: 'a', numPartitions: 0.5 }] })).rejects.toThrow(
      /numPartitions must be an integer >= -1/,
    )
    await expect(createTopics(router, { topics: [{ topic: 'a' }, { topic: 'a' }] })).rejects.toThrow(/twice/)
    await expect(
      createTopics(router, {
        topics: [{ topic: 'a', replicationFactor: 2, replicaAssignment: [{ partition: 0, replicas: [1] }] }],
      }),
    ).rejects.toThrow(/leave those out/)
    await expect(createTopics(router, { topics: [{ topic: 'a' }], validateonly: true } as never)).rejects.toThrow(
      InvalidMessageError,
    )
  })

  it('sends -1 for the broker defaults and the assignment by partition, and maps the answer', async () => {
    const { router, sent } = scriptedRouter(() => ({
      throttleTimeMs: 0,
      topics: [createdTopic('a'), createdTopic('b')],
    }))
    const created = await createTopics(router, {
      topics: [{ topic: 'a' }, { topic: 'b', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }],
      validateOnly: true,
    })
    expect(sent[0]).toMatchObject({
      api: 'CreateTopics',
      broker: 1,
      body: {
        validateOnly: true,
        timeoutMs: 30_000,
        topics: [
          { name: 'a', numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] },
          {
            name: 'b',
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
          },
        ],
      },
    })
    expect(created[0]).toEqual({
      topic: 'a',
      topicId: TOPIC_ID,
      numPartitions: 3,
      replicationFactor: 1,
      configs: [
        {
          name: 'cleanup.policy',
          value: 'delete',
          readOnly: false,
          configSource: 'DEFAULT_CONFIG',
          isSensitive: false,
        },
      ],
    })
  })

  it('sends again only the topics that failed with NOT_CONTROLLER, and reports final errors per topic', async () => {
    let attempt = 0
    const { router, sent } = scriptedRouter(({ body }) => {
      attempt++
      const names = (body as { topics: { name: string }[] }).topics.map((t) => t.name)
      return {
        throttleTimeMs: 0,
        topics: names.map((name) =>
          name === 'moved' && attempt === 1
            ? createdTopic(name, 41, null)
            : name === 'taken'
              ? createdTopic(name, 36, "Topic 'taken' already exists.")
              : createdTopic(name),
        ),
      }
    })
    const error = await createTopics(router, {
      topics: [{ topic: 'ok' }, { topic: 'moved' }, { topic: 'taken' }],
      waitForLeaders: false,
    }).catch((e: unknown) => e)
    expect(sent.map((r) => (r.body as { topics: { name: string }[] }).topics.map((t) => t.name))).toEqual([
      ['ok', 'moved', 'taken'],
      ['moved'],
    ])
    expect(error).toBeInstanceOf(AdminPartialFailureError)
    const failure = error as AdminPartialFailureError<{ topic: string }[]>
    expect(failure.failures.map((f) => f.entry)).toEqual(['taken'])
    expect(failure.failures[0]!.error).toBeInstanceOf(TopicAlreadyExistsError)
    expect(failure.failures[0]!.error.message).toContain("Topic 'taken' already exists.")
    expect(failure.succeeded.map((t) => t.topic)).toEqual(['ok', 'moved'])
  })

  it('gives up on a controller that keeps moving at the deadline, with the typed error', async () => {
    const { router } = scriptedRouter(() => ({ throttleTimeMs: 0, topics: [createdTopic('a', 41)] }), {
      deadlineMs: 50,
    })
    const error = (await createTopics(router, { topics: [{ topic: 'a' }] }).catch(
      (e: unknown) => e,
    )) as AdminPartialFailureError
    expect(error.failures[0]!.error).toBeInstanceOf(NotControllerError)
  })
})

describe('deleteTopics', () => {
  it('sends names and ids in v6', async () => {
    const { router, sent } = scriptedRouter(() => ({
      throttleTimeMs: 0,
      responses: [
        { name: 'a', topicId: 'AAAAAAAAAAAAAAAAAAAAAg', errorCode: 0, errorMessage: null },
        { name: 'b', topicId: TOPIC_ID, errorCode: 0, errorMessage: null },
      ],
    }))
    const deleted = await deleteTopics(router, { topics: ['a'], topicIds: [TOPIC_ID] })
    expect((sent[0]!.body as { topics: unknown[] }).topics).toEqual([
      { name: 'a', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' },
      { name: null, topicId: TOPIC_ID },
    ])
    expect(deleted).toEqual([
      { topic: 'a', topicId: 'AAAAAAAAAAAAAAAAAAAAAg' },
      { topic: 'b', topicId: TOPIC_ID },
    ])
  })

  it('refuses ids to a broker before DeleteTopics v6, and bad ids at the call', async () => {
    const { router } = scriptedRouter(() => ({ throttleTimeMs: 0, responses: [] }), { version: 5 })
    const error = (await deleteTopics(router, { topicIds: [TOPIC_ID] }).catch(
      (e: unknown) => e,
    )) as AdminPartialFailureError
    expect(error.failures[0]!.error).toBeInstanceOf(UnsupportedVersionError)
    await expect(deleteTopics(unusedRouter(), { topicIds: ['nope'] })).rejects.toThrow(/22 base64url characters/)
  })
})

describe('describeTopics', () => {
  const metadata = (partitions: { leaderId: number; isrNodes: number[] }[]) => ({
    throttleTimeMs: 0,
    brokers: [
      { nodeId: 1, host: 'a', port: 1, rack: null },
      { nodeId: 2, host: 'b', port: 1, rack: null },
    ],
    clusterId: 'c',
    controllerId: 1,
    topics: [
      {
        errorCode: 0,
        name: 't',
        topicId: TOPIC_ID,
        isInternal: false,
        topicAuthorizedOperations: 3576,
        partitions: partitions.map((p, i) => ({
          errorCode: 0,
          partitionIndex: i,
          leaderEpoch: 4,
          replicaNodes: [1, 2, 3],
          offlineReplicas: [],
          ...p,
        })),
      },
    ],
    clusterAuthorizedOperations: -2147483648,
    errorCode: 0,
  })

  it('keeps only under-replicated or unavailable partitions when asked (a leader not among live brokers is unavailable)', async () => {
    const { router } = scriptedRouter(() =>
      metadata([
        { leaderId: 1, isrNodes: [1, 2, 3] },
        { leaderId: 2, isrNodes: [2] },
        { leaderId: -1, isrNodes: [] },
        { leaderId: 3, isrNodes: [3, 1, 2] },
      ]),
    )
    const under = await describeTopics(router, { topics: ['t'], partitions: 'under-replicated' })
    expect(under[0]!.partitions.map((p) => p.partition)).toEqual([1, 2])
    const unavailable = await describeTopics(router, { topics: ['t'], partitions: 'unavailable' })
    expect(unavailable[0]!.partitions.map((p) => p.partition)).toEqual([2, 3])
    const all = await describeTopics(router, { topics: ['t'], includeAuthorizedOperations: true })
    expect(all[0]!.authorizedOperations).toEqual([
      'READ',
      'WRITE',
      'CREATE',
      'DELETE',
      'ALTER',
      'DESCRIBE',
      'DESCRIBE_CONFIGS',
      'ALTER_CONFIGS',
    ])
  })
})

describe('createPartitions', () => {
  it('checks counts and assignments at the call', async () => {
    const router = unusedRouter()
    await expect(createPartitions(router, { topicPartitions: [{ topic: 'a', count: 0 }] })).rejects.toThrow(
      /count must be an integer >= 1/,
    )
    await expect(
      createPartitions(router, { topicPartitions: [{ topic: 'a', count: 2, assignments: [[]] }] }),
    ).rejects.toThrow(/assignments\[0\] must be a non-empty array/)
  })
})
