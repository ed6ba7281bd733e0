/**
 * Drives kafkajs 2.2.4's consumer the way a user after throughput would:
 * run({ eachBatch }) (no promise per message) with larger fetches than its
 * defaults (`maxBytesPerPartition` 1 MiB and `maxBytes` 10 MiB raised to the
 * values in the config), offsets resolved per batch by its auto-resolve.
 */
import kafkajs from 'kafkajs'
import type { ConsumerRunConfig, Tally } from '../consumer-scenarios.js'

const { Kafka, logLevel } = kafkajs

export async function consumeWithKafkajs(config: ConsumerRunConfig, tally: Tally): Promise<() => Promise<void>> {
  if (config.mode !== 'eachBatch') throw new Error(`kafkajs is driven with eachBatch only, not ${config.mode}`)
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: config.brokers, logLevel: logLevel.NOTHING })
  const consumer = kafka.consumer({
    groupId: config.groupId,
    maxBytes: config.maxBytes,
    maxBytesPerPartition: config.maxBytesPerPartition,
  })
  await consumer.connect()
  await consumer.subscribe({ topic: config.topic, fromBeginning: true })
  await consumer.run({
    eachBatch: async ({ batch }) => tally.addBatch(batch.partition, batch.messages),
  })
  return () => consumer.disconnect()
}
