import {
  createCreatePartitionsRequest,
  createDeleteTopicsRequest,
  createMetadataRequest,
  randomUuid,
  ZERO_UUID,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { createTopic, freshTopic, useAdminCluster } from './support/admin.js'

const cluster = useAdminCluster()

async function deleteTopics(entries: { name: string | null; topicId?: string }[], version = 6, timeoutMs = 10_000) {
  // v6 names topics (or ids) in `topics`, older versions only by name in `topicNames`.
  const body = createDeleteTopicsRequest(
    version >= 6
      ? { topics: entries.map(({ name, topicId }) => ({ name, topicId: topicId ?? ZERO_UUID })), timeoutMs }
      : { topicNames: entries.map(({ name }) => name ?? ''), timeoutMs },
  )
  return (await cluster.client.cluster.requestAny('DeleteTopics', body, { version })).responses
}

async function createPartitions(
  topics: { name: string; count: number; assignments?: number[][] }[],
  options: { validateOnly?: boolean; timeoutMs?: number } = {},
) {
  const body = createCreatePartitionsRequest({
    topics: topics.map(({ name, count, assignments }) => ({
      name,
      count,
      assignments: assignments ? assignments.map((brokerIds) => ({ brokerIds })) : null,
    })),
    timeoutMs: options.timeoutMs ?? 10_000,
    validateOnly: options.validateOnly ?? false,
  })
  return (await cluster.client.cluster.requestAny('CreatePartitions', body)).results
}

function state(name: string) {
  return cluster.kafka.control.state.topics.get(name)
}

describe('DeleteTopics', () => {
  it('deletes by name, answering the topic id from v6', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    const topicId = state(name)!.topicId
    expect(await deleteTopics([{ name }])).toEqual([
      expect.objectContaining({ name, topicId, errorCode: 0, errorMessage: null }),
    ])
    expect(state(name)).toBeUndefined()
    const metadata = await cluster.client.cluster.requestAny(
      'Metadata',
      createMetadataRequest({ topics: [{ name, topicId: ZERO_UUID }], allowAutoTopicCreation: false }),
    )
    expect(metadata.topics[0]?.errorCode).toBe(3)
  })

  it('deletes by topic id from v6, answering the name', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    const topicId = state(name)!.topicId
    expect(await deleteTopics([{ name: null, topicId }])).toEqual([
      expect.objectContaining({ name, topicId, errorCode: 0 }),
    ])
    expect(cluster.kafka.control.state.topicsById.has(topicId)).toBe(false)
  })

  it('deletes by name with the v1-v5 topic name list', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    expect(await deleteTopics([{ name }, { name: 'never-created' }], 1)).toEqual([
      expect.objectContaining({ name, errorCode: 0 }),
      expect.objectContaining({ name: 'never-created', errorCode: 3 }),
    ])
    expect(state(name)).toBeUndefined()
  })

  it('answers unknown names, unknown ids and malformed entries', async () => {
    const unknownId = randomUuid()
    const name = freshTopic()
    await createTopic(cluster.client, name)
    const responses = await deleteTopics([
      { name: 'never-created' },
      { name: null, topicId: unknownId },
      { name: null },
      { name, topicId: state(name)!.topicId },
    ])
    expect(responses).toEqual([
      expect.objectContaining({
        name: 'never-created',
        errorCode: 3,
        errorMessage: 'This server does not host this topic-partition.',
      }),
      expect.objectContaining({
        topicId: unknownId,
        errorCode: 100,
        errorMessage: 'This server does not host this topic ID.',
      }),
      expect.objectContaining({ errorCode: 42, errorMessage: 'Neither topic name nor id were specified.' }),
      expect.objectContaining({
        name,
        errorCode: 42,
        errorMessage: 'You may not specify both topic name and topic id.',
      }),
    ])
    expect(state(name)).toBeDefined()
  })

  it('answers a name given twice once and deletes nothing when timeoutMs is 0', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    expect(await deleteTopics([{ name }, { name }])).toEqual([
      expect.objectContaining({ name, errorCode: 42, errorMessage: 'Duplicate topic name.' }),
    ])
    expect(await deleteTopics([{ name }], 6, 0)).toEqual([expect.objectContaining({ name, errorCode: 7 })])
    expect(state(name)).toBeDefined()
  })
})

describe('CreatePartitions', () => {
  it('adds partitions, placed by the cluster or by a manual assignment', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name, { numPartitions: 1, replicationFactor: 2 })
    expect(await createPartitions([{ name, count: 3 }])).toEqual([{ name, errorCode: 0, errorMessage: null }])
    expect(state(name)?.partitions).toHaveLength(3)
    expect(
      await createPartitions([
        {
          name,
          count: 5,
          assignments: [
            [3, 1],
            [1, 2],
          ],
        },
      ]),
    ).toEqual([{ name, errorCode: 0, errorMessage: null }])
    expect(
      state(name)
        ?.partitions.slice(3)
        .map((p) => [p.replicas, p.leader]),
    ).toEqual([
      [[3, 1], 3],
      [[1, 2], 1],
    ])
  })

  it('only checks with validateOnly', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name, { numPartitions: 1 })
    expect(await createPartitions([{ name, count: 4 }], { validateOnly: true })).toEqual([
      { name, errorCode: 0, errorMessage: null },
    ])
    expect(state(name)?.partitions).toHaveLength(1)
  })

  it('refuses anything but an increase, and assignments that do not fit', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name, { numPartitions: 2, replicationFactor: 2 })
    const check = async (
      count: number,
      assignments: number[][] | undefined,
      errorCode: number,
      message: string | null,
    ) =>
      expect(await createPartitions([{ name, count, ...(assignments ? { assignments } : {}) }])).toEqual([
        { name, errorCode, errorMessage: message },
      ])
    await check(2, undefined, 37, 'Topic already has 2 partition(s).')
    await check(1, undefined, 37, `The topic ${name} currently has 2 partition(s); 1 would not be an increase.`)
    await check(4, [[1, 2]], 39, 'Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.')
    await check(
      3,
      [[1]],
      39,
      'The manual partition assignment includes a partition with 1 replica(s), but this is not consistent with previous partitions, which have 2 replica(s).',
    )
    await check(3, [[1, 7]], 39, 'The manual partition assignment includes broker 7, but no such broker is registered.')
    expect(await createPartitions([{ name: 'never-created', count: 2 }])).toEqual([
      { name: 'never-created', errorCode: 3, errorMessage: null },
    ])
    expect(
      await createPartitions([
        { name, count: 3 },
        { name, count: 4 },
      ]),
    ).toEqual([{ name, errorCode: 42, errorMessage: 'Duplicate topic name.' }])
    expect(await createPartitions([{ name, count: 3 }], { timeoutMs: 0 })).toEqual([
      { name, errorCode: 7, errorMessage: null },
    ])
    expect(state(name)?.partitions).toHaveLength(2)
  })
})
