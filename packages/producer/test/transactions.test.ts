import {
  type AddPartitionsToTxnRequest,
  createAddPartitionsToTxnResponse,
  InvalidTransactionTimeoutError,
  ProducerFencedError,
  TopicAuthorizationFailedError,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { readValues } from '../../../test/integration/support/transactions.js'
import { Producer, type ProducerOptions, TransactionAbortableError } from '../src/index.js'
import { createTopic, freshTopic, useEmbedded } from './support/embedded.js'

/**
 * The transaction manager against the embedded broker, with the coordinator's
 * and the partition leaders' answers changed on purpose: retries of
 * InitProducerId, the order of AddPartitionsToTxn and Produce, abortable and
 * fatal failures, and the epoch bump (KIP-360) after an abort whose records failed.
 */
const fixture = useEmbedded()

let ids = 0
function transactional(options: ProducerOptions = {}): Producer {
  return new Producer(fixture.client, {
    transactionalId: `txn-${++ids}-${Math.random().toString(36).slice(2, 8)}`,
    lingerMs: 0,
    retryBackoffMs: 10,
    ...options,
  })
}
const value = (text: string) => Buffer.from(text)
/** An AddPartitionsToTxn v3 answer giving every partition of the request one error code. */
const addPartitionsAnswer = (request: AddPartitionsToTxnRequest, partitionErrorCode: number) =>
  createAddPartitionsToTxnResponse({
    resultsByTopicV3AndBelow: request.v3AndBelowTopics.map((t) => ({
      name: t.name,
      resultsByPartition: t.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode })),
    })),
  })

describe('a transactional producer', () => {
  it('retries InitProducerId on COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR and CONCURRENT_TRANSACTIONS', async () => {
    const answered: string[] = []
    for (const errorCode of ['COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR', 'CONCURRENT_TRANSACTIONS']) {
      fixture.kafka.control.intercept('InitProducerId', { once: true }, () => {
        answered.push(errorCode)
        return { errorCode }
      })
    }
    const producer = transactional()
    await producer.initTransactions()
    expect(answered).toEqual(['COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR', 'CONCURRENT_TRANSACTIONS'])
    expect(producer.transactionState).toBe('ready')
    expect(producer.producerIdentity.producerId).toBeGreaterThanOrEqual(0n)
    await producer.close()
  })

  it('looks the coordinator up again after NOT_COORDINATOR and retries COORDINATOR_LOAD_IN_PROGRESS on every transactional request', async () => {
    const topic = freshTopic('coordinator')
    await createTopic(fixture.client, topic, 1)
    const producer = transactional()
    await producer.initTransactions()
    const lookups: string[] = []
    const stopLookups = fixture.kafka.control.intercept('FindCoordinator', {}, (request) => {
      lookups.push(...(request.coordinatorKeys.length > 0 ? request.coordinatorKeys : [request.key]))
    })
    const injected: string[] = []
    const inject = (api: 'AddPartitionsToTxn' | 'AddOffsetsToTxn' | 'TxnOffsetCommit' | 'EndTxn', errorCode: string) =>
      fixture.kafka.control.intercept(api, { once: true }, () => {
        injected.push(`${api} ${errorCode}`)
        return { errorCode }
      })
    try {
      // AddPartitionsToTxn v3 carries its errors per partition only.
      fixture.kafka.control.intercept('AddPartitionsToTxn', { once: true }, (request) => {
        injected.push('AddPartitionsToTxn NOT_COORDINATOR')
        return { response: addPartitionsAnswer(request, 16) }
      })
      inject('AddOffsetsToTxn', 'COORDINATOR_LOAD_IN_PROGRESS')
      inject('TxnOffsetCommit', 'NOT_COORDINATOR')
      inject('EndTxn', 'COORDINATOR_NOT_AVAILABLE')
      producer.beginTransaction()
      await producer.send({ topic, value: value('v') })
      const groupId = `g-coordinator-${ids}`
      await producer.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: 1n }] }],
      })
      await producer.commitTransaction()
      expect(injected).toHaveLength(4)
      // NOT_COORDINATOR and COORDINATOR_NOT_AVAILABLE made the producer ask where the coordinator is again.
      // The transaction coordinator was known from initTransactions, the group's looked up once before the error.
      expect(lookups.filter((key) => key === producer.options.transactionalId)).toHaveLength(2)
      expect(lookups.filter((key) => key === groupId)).toHaveLength(2)
      expect(await readValues(fixture.client, topic, 0, 'read_committed')).toEqual(['v'])
    } finally {
      stopLookups()
      await producer.close()
    }
  })

  it('fails initTransactions fatally on INVALID_TRANSACTION_TIMEOUT, and every later call with it', async () => {
    const producer = transactional({ transactionTimeoutMs: 3_600_000 })
    const error = await producer.initTransactions().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidTransactionTimeoutError)
    expect(producer.transactionState).toBe('fatal-error')
    expect(() => producer.beginTransaction()).toThrow(error as Error)
    await expect(producer.send({ topic: 't', value: value('v') })).rejects.toBe(error)
    await producer.close()
  })

  it('adds the partitions of a transaction in batches, each before its first Produce', async () => {
    const topic = freshTopic('add')
    await createTopic(fixture.client, topic, 4)
    const added = new Set<string>()
    const violations: string[] = []
    let addRequests = 0
    const stopAdd = fixture.kafka.control.intercept('AddPartitionsToTxn', {}, (request) => {
      addRequests++
      for (const t of request.v3AndBelowTopics) for (const p of t.partitions) added.add(`${t.name}-${p}`)
    })
    const stopProduce = fixture.kafka.control.intercept('Produce', {}, (request) => {
      for (const t of request.topicData)
        for (const p of t.partitionData) if (!added.has(`${t.name}-${p.index}`)) violations.push(`${t.name}-${p.index}`)
    })
    try {
      // A long linger keeps the batches until the commit flushes them, all in one pass of the sender.
      const producer = transactional({ lingerMs: 60_000 })
      await producer.initTransactions()
      producer.beginTransaction()
      const sends = [0, 1, 2, 3].map((p) => producer.send({ topic, partition: p, value: value(`v${p}`) }))
      await producer.commitTransaction()
      await Promise.all(sends)
      await producer.close()
      expect(violations).toEqual([])
      expect(added.size).toBe(4)
      // The four partitions became ready in one pass of the sender: one request adds them all.
      expect(addRequests).toBe(1)
      for (const p of [0, 1, 2, 3])
        expect(await readValues(fixture.client, topic, p, 'read_committed')).toEqual([`v${p}`])
    } finally {
      stopAdd()
      stopProduce()
    }
  })

  it('makes a failed record abortable, then bumps the epoch on abort and continues', async () => {
    const topic = freshTopic('abortable')
    await createTopic(fixture.client, topic, 1)
    const producer = transactional()
    await producer.initTransactions()
    const { producerId, epoch } = producer.producerIdentity
    producer.beginTransaction()
    await producer.send({ topic, value: value('kept-out') })
    fixture.kafka.control.intercept('Produce', { once: true }, () => ({ errorCode: 'TOPIC_AUTHORIZATION_FAILED' }))
    await expect(producer.send({ topic, value: value('refused') })).rejects.toBeInstanceOf(
      TopicAuthorizationFailedError,
    )
    expect(producer.transactionState).toBe('abortable-error')
    await expect(producer.send({ topic, value: value('more') })).rejects.toBeInstanceOf(TransactionAbortableError)
    const commit = await producer.commitTransaction().catch((e: unknown) => e)
    expect(commit).toBeInstanceOf(TransactionAbortableError)
    expect((commit as Error).cause).toBeInstanceOf(TopicAuthorizationFailedError)
    await producer.abortTransaction()
    // The failed record may have left a gap in the sequences: the abort bumped the epoch (KIP-360).
    expect(producer.producerIdentity).toEqual({ producerId, epoch: epoch + 1 })
    producer.beginTransaction()
    await producer.send({ topic, value: value('next') })
    await producer.commitTransaction()
    expect(await readValues(fixture.client, topic, 0, 'read_committed')).toEqual(['next'])
    await producer.close()
  })

  it('fails the records of a partition the coordinator refuses, and leaves only abort', async () => {
    const topic = freshTopic('refused-add')
    await createTopic(fixture.client, topic, 1)
    const producer = transactional()
    await producer.initTransactions()
    producer.beginTransaction()
    fixture.kafka.control.intercept('AddPartitionsToTxn', { once: true }, (request) => ({
      response: addPartitionsAnswer(request, 29),
    }))
    const error = await producer.send({ topic, value: value('v') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransactionAbortableError)
    expect((error as Error).cause).toBeInstanceOf(TopicAuthorizationFailedError)
    expect(producer.transactionState).toBe('abortable-error')
    await producer.abortTransaction()
    expect(producer.transactionState).toBe('ready')
    await producer.close()
  })

  it('fails sendOffsets on GROUP_AUTHORIZATION_FAILED and makes the transaction abortable', async () => {
    const producer = transactional()
    await producer.initTransactions()
    producer.beginTransaction()
    fixture.kafka.control.intercept('AddOffsetsToTxn', { once: true }, () => ({
      errorCode: 'GROUP_AUTHORIZATION_FAILED',
    }))
    await expect(
      producer.sendOffsets({
        consumerGroupId: 'g',
        topics: [{ topic: 't', partitions: [{ partition: 0, offset: 1n }] }],
      }),
    ).rejects.toThrow(/GROUP_AUTHORIZATION_FAILED/)
    expect(producer.transactionState).toBe('abortable-error')
    await producer.abortTransaction()
    await producer.close()
  })

  it('turns PRODUCER_FENCED from EndTxn into a fatal state', async () => {
    const topic = freshTopic('fenced-end')
    await createTopic(fixture.client, topic, 1)
    const producer = transactional()
    await producer.initTransactions()
    producer.beginTransaction()
    await producer.sendOffsets({
      consumerGroupId: `g-${ids}`,
      topics: [{ topic, partitions: [{ partition: 0, offset: 1n }] }],
    })
    fixture.kafka.control.intercept('EndTxn', { once: true }, () => ({ errorCode: 'PRODUCER_FENCED' }))
    await expect(producer.commitTransaction()).rejects.toBeInstanceOf(ProducerFencedError)
    expect(producer.transactionState).toBe('fatal-error')
    await expect(producer.abortTransaction()).rejects.toBeInstanceOf(ProducerFencedError)
    await producer.close()
  })

  it('aborts a transaction left open when it closes', async () => {
    const topic = freshTopic('close')
    await createTopic(fixture.client, topic, 1)
    const ends: boolean[] = []
    const stop = fixture.kafka.control.intercept('EndTxn', {}, (request) => {
      ends.push(request.committed)
    })
    try {
      const producer = transactional()
      await producer.initTransactions()
      producer.beginTransaction()
      await producer.send({ topic, value: value('left-open') })
      await producer.close()
      expect(ends).toEqual([false])
      expect(await readValues(fixture.client, topic, 0, 'read_uncommitted')).toEqual(['left-open'])
      expect(await readValues(fixture.client, topic, 0, 'read_committed')).toEqual([])
    } finally {
      stop()
    }
  })

  it('says to use a transactionalId when a plain producer calls a transactional method', async () => {
    const producer = new Producer(fixture.client)
    await expect(producer.initTransactions()).rejects.toThrow(/create the producer with a transactionalId/)
    expect(() => producer.beginTransaction()).toThrow(/transactionalId/)
    await producer.close()
  })
})
