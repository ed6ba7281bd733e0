import { InvalidTopicExceptionError, MessageTooLargeError } from '@kafkit/protocol'
import { InvalidMessageError, Kafka, KafkaClient, type KafkitProducer, ProducerSendError } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic, readPartition } from './support/topics.js'

/**
 * What the producer reports when a record cannot be written, against every
 * broker target: each failure is a typed error on the record it concerns, and
 * the records around it (same send, other partitions, other topics) are
 * acknowledged and stored as usual. producer-delivery.test.ts covers a record
 * above maxRequestBytes and one oversized record among small ones in a single
 * partition; this file covers the rest.
 */
const { cluster, skipReason } = await useTestCluster()

type Outcome = { status: 'fulfilled'; offset: bigint; partition: number } | { status: 'rejected'; reason: unknown }

/** Each record's outcome of a send: the error's outcomes when it rejects with ProducerSendError. */
async function outcomesOf(send: Promise<readonly { offset: bigint; partition: number }[]>): Promise<Outcome[]> {
  try {
    return (await send).map((m) => ({ status: 'fulfilled', offset: m.offset, partition: m.partition }))
  } catch (error) {
    if (!(error instanceof ProducerSendError)) throw error
    return error.outcomes.map((o) =>
      o.status === 'fulfilled'
        ? { status: 'fulfilled', offset: o.value.offset, partition: o.value.partition }
        : { status: 'rejected', reason: o.reason },
    )
  }
}

const values = async (client: KafkaClient, topic: string, partition: number) =>
  (await readPartition(client, topic, partition)).map((r) => r.value?.toString() ?? null)

describe.skipIf(skipReason !== undefined)(`producer errors against the ${cluster?.target} target`, () => {
  let client: KafkaClient
  let kafka: Kafka
  let producer: KafkitProducer
  beforeAll(async () => {
    client = new KafkaClient({ brokers: cluster!.bootstrapServers })
    await client.connect()
    kafka = new Kafka({ clientId: 'kafkit-errors', brokers: cluster!.bootstrapServers })
    producer = kafka.producer({ lingerMs: 20 })
    await producer.connect()
  })
  afterAll(async () => {
    await producer?.disconnect()
    await client?.close()
  })

  it('fails a record above the topic max.message.bytes with MessageTooLargeError and delivers the rest of the send, on every partition', async () => {
    const topic = uniqueTopic('too-large')
    const other = uniqueTopic('beside-too-large')
    await createTopic(client, topic, 3, { 'max.message.bytes': '10000' })
    await createTopic(client, other, 1)
    // One sendBatch: small records on all three partitions and another topic, and one
    // record that fits the producer (maxRequestBytes) but not the topic, on partition 1.
    const big = Buffer.alloc(50_000, 'x').toString()
    const messages = [0, 1, 2].flatMap((partition) => [
      { value: `p${partition}-a`, partition },
      ...(partition === 1 ? [{ value: big, partition }] : []),
      { value: `p${partition}-b`, partition },
    ])
    const outcomes = await outcomesOf(
      producer.sendBatch({
        topicMessages: [
          { topic, messages },
          { topic: other, messages: [{ value: 'other-topic' }] },
        ],
      }),
    )
    const bigIndex = messages.findIndex((m) => m.value === big)
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map((_, i) => (i === bigIndex ? 'rejected' : 'fulfilled')))
    const reason = (outcomes[bigIndex] as { reason: unknown }).reason
    expect(reason).toBeInstanceOf(MessageTooLargeError)
    expect((reason as MessageTooLargeError).errorName).toBe('MESSAGE_TOO_LARGE')
    expect((reason as MessageTooLargeError).retriable).toBe(false)

    // Later records of the partition that refused one are written as usual.
    const [after] = await producer.send({ topic, messages: [{ value: 'p1-after', partition: 1 }] })
    expect(after).toMatchObject({ partition: 1, offset: 2n })
    expect(await values(client, topic, 0)).toEqual(['p0-a', 'p0-b'])
    expect(await values(client, topic, 1)).toEqual(['p1-a', 'p1-b', 'p1-after'])
    expect(await values(client, topic, 2)).toEqual(['p2-a', 'p2-b'])
    expect(await values(client, other, 0)).toEqual(['other-topic'])
  })

  it.each([
    ['an idempotent', true],
    ['a non-idempotent', false],
  ])(
    '%s producer splits a batch the broker refuses as too large: only the record too large on its own fails',
    async (_, idempotent) => {
      const topic = uniqueTopic('too-large-in-batch')
      await createTopic(client, topic, 1, { 'max.message.bytes': '10000' })
      // Batches of up to 1 MiB: without the broker's limit all records would travel in one batch.
      await using batching = kafka.producer({ batchBytes: 1024 * 1024, lingerMs: 50, idempotent })
      await batching.connect()
      const sends = [
        batching.send({ topic, messages: [{ value: 'first' }] }),
        batching.send({ topic, messages: [{ value: Buffer.alloc(9_000, 'y') }] }),
        batching.send({ topic, messages: [{ value: Buffer.alloc(12_000, 'w') }] }),
        batching.send({ topic, messages: [{ value: Buffer.alloc(5_000, 'z') }] }),
        batching.send({ topic, messages: [{ value: 'last' }] }),
      ].map(outcomesOf)
      const outcomes = (await Promise.all(sends)).map(([o]) => o!)
      // The Java producer splits a batch the broker refused as too large and sends its records
      // again in smaller batches: only the record that is too large on its own fails.
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
      expect((outcomes[2] as { reason: unknown }).reason).toBeInstanceOf(MessageTooLargeError)
      const stored = (await values(client, topic, 0)).map((v) => v?.slice(0, 5))
      // Idempotence keeps send order across the split; without it, as in Java with several requests
      // in flight, a retried half may land after the records behind it.
      expect(idempotent ? stored : stored.sort()).toEqual(
        idempotent ? ['first', 'yyyyy', 'zzzzz', 'last'] : ['first', 'last', 'yyyyy', 'zzzzz'],
      )
    },
  )

  it.each([
    ['a name with a space and !', 'bad topic!'],
    ['a name of 250 characters', 'x'.repeat(250)],
    ['..', '..'],
  ])('fails a record for an invalid topic (%s) with a typed error quickly and delivers the others', async (_, bad) => {
    const good = uniqueTopic('beside-invalid')
    await createTopic(client, good, 1)
    const started = performance.now()
    // In one call with records for a valid topic, and beside a separate send.
    const [mixed, alone] = await Promise.all([
      outcomesOf(
        producer.sendBatch({
          topicMessages: [
            { topic: good, messages: [{ value: 'before' }] },
            { topic: bad, messages: [{ value: 'never' }] },
            { topic: good, messages: [{ value: 'after' }] },
          ],
        }),
      ),
      producer.send({ topic: good, messages: [{ value: 'alone', partition: 0 }] }),
    ])
    const elapsedMs = performance.now() - started
    expect(mixed.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const reason = (mixed[1] as { reason: unknown }).reason
    // As with the Java producer, the broker's metadata answer refuses the name (INVALID_TOPIC_EXCEPTION).
    expect(reason).toBeInstanceOf(InvalidTopicExceptionError)
    expect((reason as InvalidTopicExceptionError).entity).toBe(bad)
    expect((reason as InvalidTopicExceptionError).retriable).toBe(false)
    // Not after maxBlockMs (60 s): the name is refused at once, not waited for.
    expect(elapsedMs).toBeLessThan(10_000)
    expect(alone).toMatchObject([{ topic: good, partition: 0 }])
    expect((await values(client, good, 0)).sort()).toEqual(['after', 'alone', 'before'])
  })

  it.each([
    ['a number', 42, /value must be a Buffer, a string or null; got number: .*valueSerializer/],
    ['an object', { total: 12.5 }, /value must be a Buffer, a string or null; got object: .*JSON.stringify/],
  ])(
    'refuses %s as a value at the call with InvalidMessageError and sends nothing of the call',
    async (_, value, message) => {
      const topic = uniqueTopic('wrong-type')
      await createTopic(client, topic, 1)
      const call = producer.send({
        topic,
        // @ts-expect-error: the wrong type on purpose, as JavaScript callers can pass it
        messages: [{ value: 'valid, but in the same call' }, { value }],
      })
      const error = await call.catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidMessageError)
      expect((error as Error).message).toMatch(message)
      expect((error as Error).message).toMatch(/messages\[1\]/)
      // Nothing of the refused call reached the broker: the next record is the partition's first.
      expect(await producer.send({ topic, messages: [{ value: 'next' }] })).toMatchObject([{ offset: 0n }])
      expect(await values(client, topic, 0)).toEqual(['next'])
    },
  )
})
