import type { KafkaClient } from '@kafkit/client'
import {
  createDescribeProducersRequest,
  createDescribeTransactionsRequest,
  createListTransactionsRequest,
  type ListTransactionsRequest,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { coordinatorFor } from '../src/embedded/handlers/10-find-coordinator.js'
import { batch, produce, records } from './support/data-requests.js'
import { NODE, useSingleBroker } from './support/single-broker.js'
import {
  addPartitions,
  beginTransaction,
  endTransaction,
  initTransactional,
  transactionalBatch,
} from './support/transactions.js'

const UNKNOWN_TOPIC_OR_PARTITION = 3
const NOT_LEADER_OR_FOLLOWER = 6
const NOT_COORDINATOR = 16
const INVALID_TOPIC_EXCEPTION = 17
const INVALID_REQUEST = 42
const TRANSACTIONAL_ID_NOT_FOUND = 105
const INVALID_REGULAR_EXPRESSION = 128
const broker = useSingleBroker('introspect')

let count = 0
const txnId = (prefix = 'intro') => `${prefix}-${count++}`

const describeTxn = async (client: KafkaClient, node: number, ...transactionalIds: string[]) =>
  (await client.cluster.request(node, 'DescribeTransactions', createDescribeTransactionsRequest({ transactionalIds })))
    .transactionStates

const listTxns = (filters: Partial<ListTransactionsRequest> = {}, version?: number) =>
  broker.client.cluster.request(NODE, 'ListTransactions', createListTransactionsRequest(filters), { version })

const describeProducers = async (client: KafkaClient, node: number, name: string, partitionIndexes = [0]) =>
  (
    await client.cluster.request(
      node,
      'DescribeProducers',
      createDescribeProducersRequest({ topics: [{ name, partitionIndexes }] }),
    )
  ).topics

describe('DescribeTransactions', () => {
  it('follows a transactional id from Empty through Ongoing to CompleteCommit', async () => {
    const id = txnId()
    const name = broker.topic(3)
    const producer = await initTransactional(broker.client, NODE, id, 45_000)
    const [empty] = await describeTxn(broker.client, NODE, id)
    expect(empty).toMatchObject({
      errorCode: 0,
      transactionalId: id,
      transactionState: 'Empty',
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
      transactionTimeoutMs: 45_000,
      transactionStartTimeMs: -1n,
      topics: [],
    })

    const before = Date.now()
    await addPartitions(broker.client, NODE, producer, [
      [name, 2],
      [name, 0],
    ])
    const [ongoing] = await describeTxn(broker.client, NODE, id)
    expect(ongoing).toMatchObject({ transactionState: 'Ongoing', topics: [{ topic: name, partitions: [0, 2] }] })
    expect(Number(ongoing!.transactionStartTimeMs)).toBeGreaterThanOrEqual(before)

    expect((await endTransaction(broker.client, NODE, producer, true)).errorCode).toBe(0)
    const [committed] = await describeTxn(broker.client, NODE, id)
    // The completed transaction keeps its start time but no longer lists partitions.
    expect(committed).toMatchObject({
      transactionState: 'CompleteCommit',
      transactionStartTimeMs: ongoing!.transactionStartTimeMs,
      topics: [],
    })
  })

  it('reports CompleteAbort after an abort and Empty with no start time after the next InitProducerId', async () => {
    const id = txnId()
    const producer = await beginTransaction(broker.client, NODE, id, broker.topic(), 0)
    await endTransaction(broker.client, NODE, producer, false)
    expect((await describeTxn(broker.client, NODE, id))[0]).toMatchObject({ transactionState: 'CompleteAbort' })
    const next = await initTransactional(broker.client, NODE, id)
    expect((await describeTxn(broker.client, NODE, id))[0]).toMatchObject({
      transactionState: 'Empty',
      producerEpoch: next.producerEpoch,
      transactionStartTimeMs: -1n,
    })
  })

  it('answers TRANSACTIONAL_ID_NOT_FOUND for an unknown id and INVALID_REQUEST for an empty one, each on its own', async () => {
    const known = txnId()
    await initTransactional(broker.client, NODE, known)
    const states = await describeTxn(broker.client, NODE, 'never-initialised', '', known)
    expect(states.map((s) => [s.transactionalId, s.errorCode])).toEqual([
      ['never-initialised', TRANSACTIONAL_ID_NOT_FOUND],
      ['', INVALID_REQUEST],
      [known, 0],
    ])
    expect(states[0]).toMatchObject({ transactionState: '', producerId: 0n, transactionStartTimeMs: 0n })
  })
})

describe('ListTransactions', () => {
  it('lists every transactional id with its producer id and state when no filter is given', async () => {
    const id = txnId()
    const producer = await initTransactional(broker.client, NODE, id)
    const answer = await listTxns()
    expect(answer.errorCode).toBe(0)
    expect(answer.transactionStates).toContainEqual({
      transactionalId: id,
      producerId: producer.producerId,
      transactionState: 'Empty',
    })
  })

  it('filters by state and producer id, and echoes state names it does not know', async () => {
    const ongoing = await beginTransaction(broker.client, NODE, txnId(), broker.topic(), 0)
    const empty = await initTransactional(broker.client, NODE, txnId())
    const byState = await listTxns({ stateFilters: ['Ongoing', 'Bogus'] })
    const ids = byState.transactionStates.map((s) => s.transactionalId)
    expect(ids).toContain(ongoing.transactionalId)
    expect(ids).not.toContain(empty.transactionalId)
    expect(byState.transactionStates.every((s) => s.transactionState === 'Ongoing')).toBe(true)
    expect(byState.unknownStateFilters).toEqual(['Bogus'])

    const byProducer = await listTxns({ producerIdFilters: [empty.producerId] })
    expect(byProducer.transactionStates.map((s) => s.transactionalId)).toEqual([empty.transactionalId])
    // Only unknown state names: they still filter, so nothing matches.
    expect((await listTxns({ stateFilters: ['Bogus'] })).transactionStates).toEqual([])
  })

  it('keeps only transactions running longer than durationFilter (v1), counting Empty ids as Kafka does', async () => {
    const fresh = await beginTransaction(broker.client, NODE, txnId(), broker.topic(), 0)
    const empty = await initTransactional(broker.client, NODE, txnId())
    const ids = (await listTxns({ durationFilter: 60_000n })).transactionStates.map((s) => s.transactionalId)
    expect(ids).not.toContain(fresh.transactionalId)
    // Kafka compares now - txnStartTimestamp, and an Empty id's start is -1.
    expect(ids).toContain(empty.transactionalId)
    const all = (await listTxns({ durationFilter: -1n })).transactionStates.map((s) => s.transactionalId)
    expect(all).toContain(fresh.transactionalId)
  })

  it('matches transactionalIdPattern (v2) against the whole id, and refuses a pattern that does not compile', async () => {
    const matching = txnId('pattern-orders')
    const other = txnId('pattern-payments')
    await initTransactional(broker.client, NODE, matching)
    await initTransactional(broker.client, NODE, other)
    const ids = (await listTxns({ transactionalIdPattern: 'pattern-ord.*' }, 2)).transactionStates.map(
      (s) => s.transactionalId,
    )
    expect(ids).toEqual([matching])
    expect((await listTxns({ transactionalIdPattern: 'pattern-ord' }, 2)).transactionStates).toEqual([])
    expect((await listTxns({ transactionalIdPattern: '' }, 2)).transactionStates.length).toBeGreaterThan(1)
    const invalid = await listTxns({ transactionalIdPattern: '(', stateFilters: ['Bogus'] }, 2)
    expect(invalid).toMatchObject({
      errorCode: INVALID_REGULAR_EXPRESSION,
      unknownStateFilters: [],
      transactionStates: [],
    })
  })
})

describe('DescribeProducers', () => {
  it('shows an open transaction start offset until the commit marker, then the marker coordinator epoch', async () => {
    const name = broker.topic()
    await produce(broker.client, NODE, name, 0, await batch(records(1)))
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    const options = { transactionalId: producer.transactionalId }
    expect(
      (await produce(broker.client, NODE, name, 0, await transactionalBatch(producer, 0, records(3)), options))
        .errorCode,
    ).toBe(0)

    const [open] = await describeProducers(broker.client, NODE, name)
    expect(open!.partitions).toHaveLength(1)
    const partition = open!.partitions[0]!
    expect(partition).toMatchObject({ partitionIndex: 0, errorCode: 0, errorMessage: null })
    expect(partition.activeProducers).toEqual([
      {
        producerId: producer.producerId,
        producerEpoch: producer.producerEpoch,
        lastSequence: 2,
        lastTimestamp: expect.any(BigInt),
        coordinatorEpoch: -1,
        currentTxnStartOffset: 1n,
      },
    ])
    expect(partition.activeProducers[0]!.lastTimestamp).toBeGreaterThan(0n)

    await endTransaction(broker.client, NODE, producer, true)
    const [closed] = await describeProducers(broker.client, NODE, name)
    expect(closed!.partitions[0]!.activeProducers).toEqual([
      expect.objectContaining({
        producerId: producer.producerId,
        lastSequence: 2,
        coordinatorEpoch: 0,
        currentTxnStartOffset: -1n,
      }),
    ])
  })

  it('lists idempotent producers too, and none for a partition nobody wrote to', async () => {
    const name = broker.topic(2)
    const idempotent = await batch(records(4), { producerId: 4242n, producerEpoch: 0, baseSequence: 0 })
    expect((await produce(broker.client, NODE, name, 1, idempotent)).errorCode).toBe(0)
    const [answer] = await describeProducers(broker.client, NODE, name, [0, 1])
    expect(answer!.partitions.map((p) => p.activeProducers)).toEqual([
      [],
      [expect.objectContaining({ producerId: 4242n, producerEpoch: 0, lastSequence: 3, currentTxnStartOffset: -1n })],
    ])
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for unknown topics and partitions and INVALID_TOPIC_EXCEPTION for bad names', async () => {
    const name = broker.topic()
    const answer = await broker.client.cluster.request(
      NODE,
      'DescribeProducers',
      createDescribeProducersRequest({
        topics: [
          { name, partitionIndexes: [5] },
          { name: 'no-such-topic', partitionIndexes: [0, 1] },
          { name: 'bad/name', partitionIndexes: [0] },
        ],
      }),
    )
    expect(answer.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])])).toEqual([
      [name, [[5, UNKNOWN_TOPIC_OR_PARTITION]]],
      [
        'no-such-topic',
        [
          [0, UNKNOWN_TOPIC_OR_PARTITION],
          [1, UNKNOWN_TOPIC_OR_PARTITION],
        ],
      ],
      ['bad/name', [[0, INVALID_TOPIC_EXCEPTION]]],
    ])
    expect(answer.topics[2]!.partitions[0]!.errorMessage).toMatch(/characters/)
  })
})

describe('on a three-broker cluster', () => {
  const cluster = useSingleBroker('introspect-cluster', { brokers: 3 })

  it('DescribeTransactions answers NOT_COORDINATOR from a broker that does not coordinate the id', async () => {
    const id = txnId()
    const coordinator = coordinatorFor(cluster.kafka.control.state, id)
    await initTransactional(cluster.client, coordinator, id)
    const other = [1, 2, 3].find((node) => node !== coordinator)!
    expect((await describeTxn(cluster.client, other, id))[0]).toMatchObject({
      transactionalId: id,
      errorCode: NOT_COORDINATOR,
    })
    expect((await describeTxn(cluster.client, coordinator, id))[0]).toMatchObject({
      errorCode: 0,
      transactionState: 'Empty',
    })
  })

  it('ListTransactions on each broker lists only the ids it coordinates', async () => {
    const ids = [txnId(), txnId(), txnId(), txnId(), txnId(), txnId()]
    for (const id of ids) await initTransactional(cluster.client, coordinatorFor(cluster.kafka.control.state, id), id)
    for (const node of [1, 2, 3]) {
      const listed = await cluster.client.cluster.request(node, 'ListTransactions', createListTransactionsRequest())
      const expected = ids.filter((id) => coordinatorFor(cluster.kafka.control.state, id) === node)
      expect(listed.transactionStates.map((s) => s.transactionalId).filter((id) => ids.includes(id))).toEqual(expected)
    }
  })

  it('DescribeProducers answers from any replica and NOT_LEADER_OR_FOLLOWER from a broker without one', async () => {
    const name = 'introspect-replicas'
    cluster.kafka.control.state.createTopic(name, 1, 2, new Map())
    const partition = cluster.kafka.control.state.topics.get(name)!.partitions[0]!
    const follower = partition.replicas.find((node) => node !== partition.leader)!
    const outsider = [1, 2, 3].find((node) => !partition.replicas.includes(node))!
    const idempotent = await batch(records(1), { producerId: 777n, producerEpoch: 3, baseSequence: 0 })
    expect((await produce(cluster.client, partition.leader, name, 0, idempotent)).errorCode).toBe(0)
    for (const node of [partition.leader, follower]) {
      const [answer] = await describeProducers(cluster.client, node, name)
      expect(answer!.partitions[0]).toMatchObject({
        errorCode: 0,
        activeProducers: [expect.objectContaining({ producerId: 777n, producerEpoch: 3 })],
      })
    }
    const [refused] = await describeProducers(cluster.client, outsider, name)
    expect(refused!.partitions[0]).toMatchObject({ errorCode: NOT_LEADER_OR_FOLLOWER, activeProducers: [] })
  })
})
