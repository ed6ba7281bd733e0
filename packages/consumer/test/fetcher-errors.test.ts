import { KafkaClient } from '@kafkit/client'
import { Producer } from '@kafkit/producer'
import {
  CorruptRecordError,
  createFetchResponse,
  createFetchResponseFetchableTopicResponse,
  createFetchResponsePartitionData,
  encodeRecordBatchSync,
  type FetchResponse,
} from '@kafkit/protocol'
import { type EmbeddedKafka, startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTopic } from '../../../test/integration/support/topics.js'
import { CompletedFetch } from '../src/fetch/completed-fetch.js'
import { Consumer, FetchSession } from '../src/index.js'
import { SubscriptionState } from '../src/subscription-state.js'
import { pollValues } from './consumer-support.js'

let cluster: EmbeddedKafka
let client: KafkaClient
let producer: Producer
const clients: KafkaClient[] = []
let counter = 0

beforeAll(async () => {
  cluster = await startEmbeddedKafka({ security: false, brokers: 3, racks: ['rack-a', 'rack-b', 'rack-c'] })
  client = new KafkaClient({ brokers: cluster.bootstrapServers })
  await client.connect()
  producer = new Producer(client, { lingerMs: 0 })
})
afterAll(async () => {
  await producer?.close()
  await Promise.allSettled(clients.map((c) => c.close()))
  await client?.close()
  await cluster?.stop()
})

async function topicWith(values: string[]): Promise<string> {
  const topic = `fetch-errors-${++counter}`
  await createTopic(client, topic, 1)
  for (const value of values) await producer.send({ topic, partition: 0, value: Buffer.from(value) })
  return topic
}

function consumer(options: ConstructorParameters<typeof Consumer>[1] = {}): Consumer {
  const own = new KafkaClient({ brokers: cluster.bootstrapServers })
  clients.push(own)
  return new Consumer(own, { autoOffsetReset: 'earliest', maxWaitMs: 50, retryBackoffMs: 20, ...options })
}

describe('fetch errors', () => {
  it('NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH refresh metadata and fetch again, losing nothing', async () => {
    const topic = await topicWith(['a', 'b', 'c'])
    let injected = 0
    for (const errorCode of ['NOT_LEADER_OR_FOLLOWER', 'FENCED_LEADER_EPOCH']) {
      cluster.control.intercept(
        'Fetch',
        { once: true, match: (r) => r.replicaId === -1 && r.topics.length > 0 },
        () => {
          injected++
          return { errorCode }
        },
      )
    }
    const c = consumer()
    c.assign([{ topic, partition: 0 }])
    expect(await pollValues(c, 3)).toEqual(['0:a', '0:b', '0:c'])
    expect(injected).toBe(2)
    await c.close()
  })

  it('follows the preferred read replica the leader names (KIP-392) and falls back to the leader on its errors', async () => {
    const topic = await topicWith(['r0', 'r1'])
    const leader = client.cluster.metadata.partition(topic, 0)!.leader
    const replica = client.cluster.metadata.partition(topic, 0)!.replicas.find((r) => r !== leader)!
    const topicId = client.cluster.metadata.topic(topic)!.topicId
    const fetchesAt: number[] = []
    const stopObserving = cluster.control.intercept('Fetch', { match: (r) => r.replicaId === -1 }, (_, context) => {
      fetchesAt.push(context.broker.nodeId)
    })
    // The leader answers the first Fetch with "read from `replica`", as a broker with a rack-aware selector does.
    cluster.control.intercept(
      'Fetch',
      { once: true, broker: leader, match: (r) => r.replicaId === -1 },
      (_, context) => ({
        response: redirect(context.version >= 13 ? { topicId } : { topic }, replica),
      }),
    )
    // The replica fails once: the consumer goes back to the leader.
    cluster.control.intercept('Fetch', { once: true, broker: replica, match: (r) => r.replicaId === -1 }, () => ({
      errorCode: 'NOT_LEADER_OR_FOLLOWER',
    }))
    const c = consumer({ clientRack: `rack-${'abc'[replica - 1]}` })
    c.assign([{ topic, partition: 0 }])
    expect(await pollValues(c, 2)).toEqual(['0:r0', '0:r1'])
    stopObserving()
    expect(fetchesAt[0]).toBe(leader)
    expect(fetchesAt[1]).toBe(replica)
    expect(fetchesAt[2]).toBe(leader)
    await c.close()
  })

  it('a corrupt batch fails poll with a typed CorruptRecordError', async () => {
    const batch = encodeRecordBatchSync({
      baseOffset: 0n,
      records: [{ value: Buffer.from('x') }, { value: Buffer.from('y') }],
    })
    batch.writeUInt8(batch.readUInt8(batch.length - 1) ^ 0xff, batch.length - 1)
    const subscriptions = new SubscriptionState()
    subscriptions.add([{ topic: 't', partition: 0 }])
    const fetch = new CompletedFetch(subscriptions.assigned[0]!, 0n, batch, null, false, -1)
    await expect(fetch.take(10)).rejects.toBeInstanceOf(CorruptRecordError)
  })
})

describe('FetchSession', () => {
  const partition = (p: number, fetchOffset: bigint) => ({
    topic: 't',
    topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
    partition: p,
    fetchOffset,
    currentLeaderEpoch: 0,
    lastFetchedEpoch: -1,
    partitionMaxBytes: 100,
  })
  const ok = (sessionId: number, errorCode = 0): FetchResponse => createFetchResponse({ sessionId, errorCode })

  it('is full, then incremental with only changed partitions and forgotten ones, and full again after a session error', () => {
    const session = new FetchSession()
    const first = session.build([partition(0, 0n), partition(1, 0n)], false)
    expect(first).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true })
    expect(first.topics[0]!.partitions.map((p) => p.partition)).toEqual([0, 1])
    session.handleResponse(first, ok(77))

    const second = session.build([partition(0, 5n), partition(1, 0n)], false)
    expect(second).toMatchObject({ sessionId: 77, sessionEpoch: 1, full: false })
    expect(second.topics.flatMap((t) => t.partitions.map((p) => p.partition))).toEqual([0])
    session.handleResponse(second, ok(77))

    const third = session.build([partition(0, 5n)], false)
    expect(third).toMatchObject({ sessionEpoch: 2, topics: [] })
    expect(third.forgottenTopicsData).toEqual([{ topic: 't', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [1] }])
    expect(session.handleResponse(third, ok(0, 71))).toBe(false)

    const fourth = session.build([partition(0, 5n)], false)
    expect(fourth).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true })
    expect(session.fullRequests).toBe(2)
    expect(session.incrementalRequests).toBe(2)
  })
})

function redirect(id: { topicId: string } | { topic: string }, replica: number): FetchResponse {
  return createFetchResponse({
    sessionId: 0,
    responses: [
      createFetchResponseFetchableTopicResponse({
        ...id,
        partitions: [
          createFetchResponsePartitionData({
            partitionIndex: 0,
            highWatermark: 2n,
            preferredReadReplica: replica,
            records: null,
          }),
        ],
      }),
    ],
  })
}
