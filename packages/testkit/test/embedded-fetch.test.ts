import {
  createDeleteRecordsRequest,
  createMetadataRequest,
  decodeRecordBatches,
  type FetchResponse,
  splitRecordBatches,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { type FetchPartition, FetchSessionCache } from '../src/embedded/state/fetch-sessions.js'
import { batch, decoded, deferred, fetch, fetchBody, only, produce, records, values } from './support/data-requests.js'
import { NODE, useSingleBroker } from './support/single-broker.js'

const OFFSET_OUT_OF_RANGE = 1
const FETCH_SESSION_ID_NOT_FOUND = 70
const INVALID_FETCH_SESSION_EPOCH = 71
const FENCED_LEADER_EPOCH = 74
const UNKNOWN_LEADER_EPOCH = 75
const UNKNOWN_TOPIC_ID = 100

const broker = useSingleBroker('fetch')
const topic = (partitions = 1): string => broker.topic(partitions)

/** Partitions in a response, as "topic-partition", in answer order. */
function listed(response: FetchResponse): string[] {
  return response.responses.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p.partitionIndex}`))
}

describe('long polling', () => {
  it('waits for minBytes and answers as soon as a produce brings them', async () => {
    const name = topic()
    const arrived = deferred()
    const stop = broker.kafka.control.intercept('Fetch', { once: true }, () => arrived.resolve())
    let settled = false
    const body = fetchBody([{ topic: name, partition: 0, offset: 0n }], { maxWaitMs: 50_000, minBytes: 1 })
    const pending = fetch(broker.client, NODE, body, { purpose: 'long-poll' }).then((response) => {
      settled = true
      return response
    })
    await arrived.promise
    // A full round trip on another connection (not requestAny, which may pick the waiting one): the fetch
    // has had every chance to answer, and has not.
    await broker.client.cluster.request(NODE, 'Metadata', createMetadataRequest({ topics: [] }))
    expect(settled).toBe(false)
    await produce(broker.client, NODE, name, 0, await batch(records(2)))
    expect(values(await decoded(only(await pending)))).toEqual(['v0', 'v1'])
    stop()
  })

  it('answers empty when maxWaitMs passes without data', async () => {
    const name = topic()
    const body = fetchBody([{ topic: name, partition: 0, offset: 0n }], { maxWaitMs: 20, minBytes: 1 })
    const data = only(await fetch(broker.client, NODE, body))
    expect(data).toMatchObject({ errorCode: 0, highWatermark: 0n })
    expect(data.records?.length).toBe(0)
  })

  it('answers at once when the data is already there', async () => {
    const name = topic()
    await produce(broker.client, NODE, name, 0, await batch(records(1)))
    const body = fetchBody([{ topic: name, partition: 0, offset: 0n }], { maxWaitMs: 600_000, minBytes: 1 })
    expect(values(await decoded(only(await fetch(broker.client, NODE, body))))).toEqual(['v0'])
  })

  it('stops waiting when the connection closes', async () => {
    const name = topic()
    const log = broker.kafka.control.state.topics.get(name)!.partitions[0]!.log
    const subscribed = deferred()
    const unsubscribed = deferred()
    const onAppend = log.onAppend.bind(log)
    log.onAppend = (listener) => {
      const stop = onAppend(listener)
      subscribed.resolve()
      return () => {
        unsubscribed.resolve()
        return stop()
      }
    }
    const connection = await broker.client.cluster.connectionTo(NODE, 'closing')
    const body = fetchBody([{ topic: name, partition: 0, offset: 0n }], { maxWaitMs: 600_000, minBytes: 1 })
    const pending = connection.request('Fetch', body, { version: 12 }).catch((error: Error) => error)
    await subscribed.promise
    await connection.close(0)
    await unsubscribed.promise
    expect(await pending).toBeInstanceOf(Error)
  })
})

describe('byte limits', () => {
  it('returns the first batch whole even when it exceeds maxBytes and partitionMaxBytes', async () => {
    const name = topic(2)
    await produce(broker.client, NODE, name, 0, await batch([{ value: Buffer.alloc(500) }]))
    await produce(broker.client, NODE, name, 1, await batch([{ value: Buffer.alloc(500) }]))
    const body = fetchBody(
      [
        { topic: name, partition: 0, offset: 0n, partitionMaxBytes: 10 },
        { topic: name, partition: 1, offset: 0n, partitionMaxBytes: 10 },
      ],
      { maxBytes: 100 },
    )
    const [first, second] = (await fetch(broker.client, NODE, body)).responses[0]!.partitions
    expect((await decoded(first!)).length).toBe(1)
    // Once some partition returned data, the limits hold.
    expect(second!.records?.length).toBe(0)
    expect(second!.highWatermark).toBe(1n)
  })

  it('cuts the last batch short at the limit, as a segment read does', async () => {
    const name = topic()
    const one = await batch([{ value: Buffer.alloc(100) }])
    await produce(broker.client, NODE, name, 0, one)
    await produce(broker.client, NODE, name, 0, await batch([{ value: Buffer.alloc(100) }]))
    const limit = one.length + 20
    const body = fetchBody([{ topic: name, partition: 0, offset: 0n, partitionMaxBytes: limit }])
    const data = only(await fetch(broker.client, NODE, body))
    expect(data.records?.length).toBe(limit)
    expect([...splitRecordBatches(data.records!)]).toHaveLength(1)
  })

  it('returns whole batches from the one holding the fetch offset', async () => {
    const name = topic()
    await produce(broker.client, NODE, name, 0, await batch(records(3)))
    const data = only(await fetch(broker.client, NODE, fetchBody([{ topic: name, partition: 0, offset: 1n }])))
    const [stored] = await decodeRecordBatches(data.records!)
    expect(stored!.baseOffset).toBe(0n)
    expect(values(await decoded(data, 1n))).toEqual(['v1', 'v2'])
  })
})

describe('errors', () => {
  it('answers OFFSET_OUT_OF_RANGE past the log end and before the log start', async () => {
    const name = topic()
    await produce(broker.client, NODE, name, 0, await batch(records(3)))
    const past = only(await fetch(broker.client, NODE, fetchBody([{ topic: name, partition: 0, offset: 4n }])))
    expect(past).toMatchObject({ errorCode: OFFSET_OUT_OF_RANGE, highWatermark: -1n, logStartOffset: -1n })
    const atEnd = only(await fetch(broker.client, NODE, fetchBody([{ topic: name, partition: 0, offset: 3n }])))
    expect(atEnd).toMatchObject({ errorCode: 0, highWatermark: 3n })
    const deletion = createDeleteRecordsRequest({
      topics: [{ name, partitions: [{ partitionIndex: 0, offset: 2n }] }],
      timeoutMs: 1000,
    })
    await broker.client.cluster.request(NODE, 'DeleteRecords', deletion)
    const before = only(await fetch(broker.client, NODE, fetchBody([{ topic: name, partition: 0, offset: 1n }])))
    expect(before.errorCode).toBe(OFFSET_OUT_OF_RANGE)
    const after = only(await fetch(broker.client, NODE, fetchBody([{ topic: name, partition: 0, offset: 2n }])))
    expect(after).toMatchObject({ errorCode: 0, logStartOffset: 2n })
  })

  it('fences an older leader epoch and flags a newer one', async () => {
    const name = topic()
    broker.kafka.control.moveLeader(name, 0, NODE)
    const older = fetchBody([{ topic: name, partition: 0, offset: 0n, currentLeaderEpoch: 0 }])
    expect(only(await fetch(broker.client, NODE, older)).errorCode).toBe(FENCED_LEADER_EPOCH)
    const newer = fetchBody([{ topic: name, partition: 0, offset: 0n, currentLeaderEpoch: 2 }])
    expect(only(await fetch(broker.client, NODE, newer)).errorCode).toBe(UNKNOWN_LEADER_EPOCH)
    const current = fetchBody([{ topic: name, partition: 0, offset: 0n, currentLeaderEpoch: 1 }])
    expect(only(await fetch(broker.client, NODE, current)).errorCode).toBe(0)
  })

  it('names topics by id from v13 and answers UNKNOWN_TOPIC_ID for an unknown id', async () => {
    const name = topic()
    const topicId = broker.kafka.control.state.topics.get(name)!.topicId
    await produce(broker.client, NODE, name, 0, await batch(records(1)))
    const byId = await fetch(broker.client, NODE, fetchBody([{ topic: '', topicId, partition: 0, offset: 0n }]), {
      version: 18,
    })
    expect(byId.responses[0]!.topicId).toBe(topicId)
    expect(values(await decoded(only(byId)))).toEqual(['v0'])
    const unknown = fetchBody([{ topic: '', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partition: 0, offset: 0n }])
    expect(only(await fetch(broker.client, NODE, unknown, { version: 13 })).errorCode).toBe(UNKNOWN_TOPIC_ID)
  })
})

describe('fetch sessions (KIP-227)', () => {
  it('opens a session with a full fetch, then answers incremental fetches with what changed', async () => {
    const name = topic(2)
    await produce(broker.client, NODE, name, 0, await batch(records(1)))
    const both = [
      { topic: name, partition: 0, offset: 0n },
      { topic: name, partition: 1, offset: 0n },
    ]
    const full = await fetch(broker.client, NODE, fetchBody(both, { sessionId: 0, sessionEpoch: 0 }))
    expect(full.sessionId).not.toBe(0)
    expect(listed(full)).toEqual([`${name}-0`, `${name}-1`])
    const sessionId = full.sessionId

    // Nothing changed for partition 1; partition 0 moves on to offset 1 and has nothing new either.
    const moved = fetchBody([{ topic: name, partition: 0, offset: 1n }], { sessionId, sessionEpoch: 1 })
    expect(listed(await fetch(broker.client, NODE, moved))).toEqual([])

    await produce(broker.client, NODE, name, 1, await batch(records(2)))
    const quiet = await fetch(broker.client, NODE, fetchBody([], { sessionId, sessionEpoch: 2 }))
    expect(listed(quiet)).toEqual([`${name}-1`])
    expect(values(await decoded(only(quiet)))).toEqual(['v0', 'v1'])

    // Forget partition 1: new data there is no longer reported.
    await produce(broker.client, NODE, name, 1, await batch(records(1)))
    await produce(broker.client, NODE, name, 0, await batch(records(1)))
    const forget = fetchBody([], {
      sessionId,
      sessionEpoch: 3,
      forgottenTopicsData: [{ topic: name, topicId: '', partitions: [1] }],
    })
    const afterForget = await fetch(broker.client, NODE, forget)
    expect(afterForget.sessionId).toBe(sessionId)
    expect(listed(afterForget)).toEqual([`${name}-0`])
  })

  it('answers a wrong epoch with INVALID_FETCH_SESSION_EPOCH and an unknown id with FETCH_SESSION_ID_NOT_FOUND', async () => {
    const name = topic()
    const one = [{ topic: name, partition: 0, offset: 0n }]
    const full = await fetch(broker.client, NODE, fetchBody(one, { sessionId: 0, sessionEpoch: 0 }))
    const wrong = await fetch(broker.client, NODE, fetchBody([], { sessionId: full.sessionId, sessionEpoch: 5 }))
    expect(wrong).toMatchObject({ errorCode: INVALID_FETCH_SESSION_EPOCH, sessionId: 0, responses: [] })
    const unknown = await fetch(broker.client, NODE, fetchBody([], { sessionId: full.sessionId + 1, sessionEpoch: 1 }))
    expect(unknown.errorCode).toBe(FETCH_SESSION_ID_NOT_FOUND)
    // The session itself survives a wrong epoch.
    expect(
      (await fetch(broker.client, NODE, fetchBody([], { sessionId: full.sessionId, sessionEpoch: 1 }))).errorCode,
    ).toBe(0)
  })

  it('serves epoch -1 without a session, closing the one it names', async () => {
    const name = topic()
    const one = [{ topic: name, partition: 0, offset: 0n }]
    const full = await fetch(broker.client, NODE, fetchBody(one, { sessionId: 0, sessionEpoch: 0 }))
    const sessionless = await fetch(
      broker.client,
      NODE,
      fetchBody(one, { sessionId: full.sessionId, sessionEpoch: -1 }),
    )
    expect(sessionless.sessionId).toBe(0)
    expect(listed(sessionless)).toEqual([`${name}-0`])
    const closed = await fetch(broker.client, NODE, fetchBody([], { sessionId: full.sessionId, sessionEpoch: 1 }))
    expect(closed.errorCode).toBe(FETCH_SESSION_ID_NOT_FOUND)
  })

  it('keeps a bounded number of sessions, evicting stale ones first', () => {
    const cache = new FetchSessionCache(2, 1000)
    const partitions = (n: number): FetchPartition[] =>
      Array.from({ length: n }, (_, i) => ({
        key: `t:${i}`,
        topic: 't',
        topicId: '',
        partition: i,
        fetchOffset: 0n,
        partitionMaxBytes: 1,
        currentLeaderEpoch: -1,
        lastFetchedEpoch: -1,
        sentHighWatermark: -1n,
        sentLogStartOffset: -1n,
      }))
    const open = (n: number, now: number) => {
      const context = cache.newContext(
        { sessionId: 0, sessionEpoch: 0, usesTopicIds: false, partitions: partitions(n), forgotten: [] },
        now,
      )
      if (context.kind !== 'full') throw new Error(`expected a full context, got ${context.kind}`)
      return cache.complete(context, new Map(), now).sessionId
    }
    const first = open(1, 0)
    const second = open(3, 500)
    expect(first).not.toBe(0)
    expect(second).not.toBe(0)
    // Full, and nothing is stale or old enough to give way.
    expect(open(5, 900)).toBe(0)
    // The first session has not been used for longer than the eviction time: it goes.
    const third = open(1, 1600)
    expect(third).not.toBe(0)
    expect(cache.size).toBe(2)
    expect(
      cache.newContext({ sessionId: first, sessionEpoch: 1, usesTopicIds: false, partitions: [], forgotten: [] }, 1600),
    ).toEqual({ kind: 'error', errorCode: FETCH_SESSION_ID_NOT_FOUND })
  })
})
