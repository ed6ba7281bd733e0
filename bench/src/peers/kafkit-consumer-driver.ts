/**
 * Drives kafkit's consumer (`kafka.consumer()`) one of three ways: run({
 * eachBatch }) with batches of up to `maxPollRecords`, run({ eachMessage }),
 * or `for await` over `consumer.messages()`. Fetch sizes are the ones kafkajs
 * gets (`maxBytes`, `maxPartitionFetchBytes`); values are Buffers.
 */
import { Kafka } from 'kafkit'
import type { ConsumerRunConfig, Tally } from '../consumer-scenarios.js'

export async function consumeWithKafkit(config: ConsumerRunConfig, tally: Tally): Promise<() => Promise<void>> {
  const kafka = new Kafka({ clientId: 'bench-kafkit', brokers: config.brokers })
  const consumer = kafka.consumer({
    groupId: config.groupId,
    autoOffsetReset: 'earliest',
    maxPollRecords: config.maxPollRecords,
    maxBytes: config.maxBytes,
    maxPartitionFetchBytes: config.maxBytesPerPartition,
  })
  await consumer.connect()
  consumer.subscribe({ topic: config.topic, fromBeginning: true })
  if (config.mode === 'eachBatch') {
    await consumer.run({
      eachBatch: async ({ batch }) => tally.addBatch(batch.partition, batch.messages),
    })
  } else if (config.mode === 'eachMessage') {
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const offset = Number(message.offset)
        tally.add(partition, offset, offset, 1, message.value?.length ?? 0)
      },
    })
  } else {
    void (async () => {
      for await (const message of consumer) {
        const offset = Number(message.offset)
        tally.add(message.partition, offset, offset, 1, message.value?.length ?? 0)
        if (tally.records >= tally.expected) break
      }
    })()
  }
  return () => consumer.disconnect()
}
