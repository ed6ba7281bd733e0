import {
  createDescribeProducersRequest,
  createDescribeTransactionsRequest,
  createListTransactionsRequest,
  type DescribeProducersResponseProducerState,
  type DescribeTransactionsResponseTransactionState,
  type ListTransactionsRequest,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic } from './support/topics.js'
import { useTransactionalProducers } from './support/transactional-producers.js'
import { waitFor } from './support/wait-for.js'

/**
 * Transaction introspection (KIP-664) against every broker target: what
 * ListTransactions and DescribeTransactions at the transactional id's
 * coordinator and DescribeProducers at the partition leader answer about a
 * transaction the kafkit producer opens and commits. On a real broker the
 * commit passes through PrepareCommit and the markers land after EndTxn
 * answers, so what the commit changes is polled for.
 */
const UNKNOWN_TOPIC_OR_PARTITION = 3
const TRANSACTIONAL_ID_NOT_FOUND = 105
const INVALID_REGULAR_EXPRESSION = 128
const { cluster, skipReason } = await useTestCluster()

describe.skipIf(skipReason !== undefined)(`transaction introspection against the ${cluster?.target} target`, () => {
  const fixture = useTransactionalProducers(() => cluster!.bootstrapServers, 'kafkit-introspection')
  const { transactionalProducer } = fixture

  async function describeTransaction(transactionalId: string): Promise<DescribeTransactionsResponseTransactionState> {
    const coordinator = await fixture.client.cluster.findCoordinator('transaction', transactionalId)
    const answer = await fixture.client.cluster.request(
      coordinator,
      'DescribeTransactions',
      createDescribeTransactionsRequest({ transactionalIds: [transactionalId] }),
    )
    const [state] = answer.transactionStates
    if (!state) throw new Error(`no DescribeTransactions answer for ${transactionalId}`)
    return state
  }

  async function listTransactions(transactionalId: string, filters: Partial<ListTransactionsRequest> = {}) {
    const coordinator = await fixture.client.cluster.findCoordinator('transaction', transactionalId)
    return fixture.client.cluster.request(coordinator, 'ListTransactions', createListTransactionsRequest(filters))
  }

  async function activeProducers(topic: string, partition: number): Promise<DescribeProducersResponseProducerState[]> {
    const answer = await fixture.client.cluster.requestToLeader(
      topic,
      partition,
      'DescribeProducers',
      createDescribeProducersRequest({ topics: [{ name: topic, partitionIndexes: [partition] }] }),
      { errorCodeOf: (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0 },
    )
    return answer.topics[0]?.partitions[0]?.activeProducers ?? []
  }

  it('describes an open transaction as Ongoing with its partitions, then as CompleteCommit after the commit', async () => {
    const { topic, transactionalId, txn, before } = await fixture.openTransaction('introspect')

    const ongoing = await describeTransaction(transactionalId)
    expect(ongoing).toMatchObject({
      errorCode: 0,
      transactionalId,
      transactionState: 'Ongoing',
      // The Java producer's default transaction.timeout.ms.
      transactionTimeoutMs: 60_000,
    })
    expect(ongoing.producerId).toBeGreaterThanOrEqual(0n)
    expect(ongoing.producerEpoch).toBeGreaterThanOrEqual(0)
    expect(Number(ongoing.transactionStartTimeMs)).toBeGreaterThanOrEqual(before - 1_000)
    expect(ongoing.topics.map((t) => ({ topic: t.topic, partitions: [...t.partitions].sort() }))).toEqual([
      { topic, partitions: [0, 1] },
    ])

    const listed = await listTransactions(transactionalId, { producerIdFilters: [ongoing.producerId] })
    expect(listed).toMatchObject({
      errorCode: 0,
      unknownStateFilters: [],
      transactionStates: [{ transactionalId, producerId: ongoing.producerId, transactionState: 'Ongoing' }],
    })

    const open = await activeProducers(topic, 0)
    expect(open).toEqual([
      {
        producerId: ongoing.producerId,
        producerEpoch: ongoing.producerEpoch,
        lastSequence: 1,
        lastTimestamp: expect.any(BigInt),
        coordinatorEpoch: -1,
        // The transaction's first record is the partition's first.
        currentTxnStartOffset: 0n,
      },
    ])
    expect(open[0]!.lastTimestamp).toBeGreaterThanOrEqual(BigInt(before - 1_000))
    expect((await activeProducers(topic, 1))[0]).toMatchObject({ lastSequence: 0, currentTxnStartOffset: 0n })

    await txn.commit()
    const committed = await waitFor('the coordinator completes the commit', async () => {
      const state = await describeTransaction(transactionalId)
      return state.transactionState === 'CompleteCommit' ? state : undefined
    })
    expect(committed).toMatchObject({
      errorCode: 0,
      producerId: ongoing.producerId,
      transactionStartTimeMs: ongoing.transactionStartTimeMs,
      topics: [],
    })
    // Kafka 4.1 with transaction version 2 bumps the epoch at every commit (KIP-890); version 1 keeps it.
    expect(committed.producerEpoch).toBeGreaterThanOrEqual(ongoing.producerEpoch)

    for (const partition of [0, 1]) {
      const [after] = await waitFor(`the commit marker ends the transaction in ${topic}-${partition}`, async () => {
        const producers = await activeProducers(topic, partition)
        return producers[0]?.currentTxnStartOffset === -1n ? producers : undefined
      })
      expect(after).toMatchObject({ producerId: ongoing.producerId, producerEpoch: committed.producerEpoch })
      expect(after!.coordinatorEpoch).toBeGreaterThanOrEqual(0)
    }

    const completed = await listTransactions(transactionalId, {
      stateFilters: ['CompleteCommit', 'NoSuchState'],
      producerIdFilters: [ongoing.producerId],
    })
    expect(completed).toMatchObject({
      errorCode: 0,
      unknownStateFilters: ['NoSuchState'],
      transactionStates: [{ transactionalId, producerId: ongoing.producerId, transactionState: 'CompleteCommit' }],
    })
    const stillOngoing = await listTransactions(transactionalId, {
      stateFilters: ['Ongoing'],
      producerIdFilters: [ongoing.producerId],
    })
    expect(stillOngoing.transactionStates).toEqual([])
  })

  it('filters ListTransactions by a transactional id pattern (v2) matched against the whole id', async () => {
    const prefix = uniqueTopic('pattern')
    const transactionalId = `${prefix}-orders`
    const producer = await transactionalProducer(transactionalId)
    const txn = await producer.transaction()
    const topic = uniqueTopic('pattern-topic')
    await createTopic(fixture.client, topic, 1)
    await txn.send({ topic, messages: [{ value: 'x' }] })
    const ids = async (transactionalIdPattern: string) =>
      (await listTransactions(transactionalId, { transactionalIdPattern })).transactionStates.map(
        (s) => s.transactionalId,
      )
    expect(await ids(`${prefix}-.*`)).toEqual([transactionalId])
    expect(await ids(prefix)).toEqual([])
    const invalid = await listTransactions(transactionalId, { transactionalIdPattern: '(', stateFilters: ['Bogus'] })
    expect(invalid).toMatchObject({
      errorCode: INVALID_REGULAR_EXPRESSION,
      unknownStateFilters: [],
      transactionStates: [],
    })
    await txn.abort()
  })

  it('answers TRANSACTIONAL_ID_NOT_FOUND for a transactional id no producer initialised', async () => {
    const state = await describeTransaction(uniqueTopic('never-initialised'))
    expect(state).toMatchObject({ errorCode: TRANSACTIONAL_ID_NOT_FOUND, transactionState: '', topics: [] })
  })

  it('answers DescribeProducers for an unknown topic or partition with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const topic = uniqueTopic('introspect-known')
    await createTopic(fixture.client, topic, 1)
    // Any broker answers for a topic it does not know; the partition's own broker for an index past its count.
    const node = await fixture.client.cluster.leaderFor(topic, 0)
    const answer = await fixture.client.cluster.request(
      node,
      'DescribeProducers',
      createDescribeProducersRequest({
        topics: [
          { name: topic, partitionIndexes: [7] },
          { name: uniqueTopic('introspect-missing'), partitionIndexes: [0] },
        ],
      }),
    )
    expect(answer.topics.map((t) => t.partitions[0])).toEqual([
      { partitionIndex: 7, errorCode: UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] },
      {
        partitionIndex: 0,
        errorCode: UNKNOWN_TOPIC_OR_PARTITION,
        // Kafka answers a topic it does not know with the error's default message.
        errorMessage: 'This server does not host this topic-partition.',
        activeProducers: [],
      },
    ])
  })
})
