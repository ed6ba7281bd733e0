/**
 * Drives kafkajs 2.2.4 the way a user after throughput would: many messages
 * per `send()` (kafkajs turns one send into one Produce request per broker),
 * several sends in flight, its default partitioner, and lz4 through a codec
 * registered in `CompressionCodecs` (lz4-napi, the same library and frame
 * options kafkit uses; see kafkajs-codecs.ts). A send resolves only when every
 * message of it is acknowledged, so the messages of resolved sends are the
 * acknowledged count.
 */
import kafkajs from 'kafkajs'
import type { RunConfig } from '../producer-scenarios.js'
import { registerKafkajsCodecs } from './kafkajs-codecs.js'
import type { Delivered } from './kafkit-producer-driver.js'

const { Kafka, logLevel, Partitioners, CompressionTypes } = kafkajs

export async function openKafkajs(config: RunConfig) {
  registerKafkajsCodecs(kafkajs)
  const { scenario } = config
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: config.brokers, logLevel: logLevel.NOTHING })
  const producer = kafka.producer({
    idempotent: scenario.idempotent,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  })
  await producer.connect()
  const compression = scenario.compression === 'lz4' ? CompressionTypes.LZ4 : CompressionTypes.None
  return {
    produce: async (count: number, values: Buffer[]): Promise<Delivered> => {
      const result: Delivered = { acknowledged: 0, failed: 0 }
      let next = 0
      const worker = async () => {
        while (next < count) {
          const start = next
          const end = Math.min(count, start + config.kafkajsPerSend)
          next = end
          const messages = new Array<{ value: Buffer }>(end - start)
          for (let i = start; i < end; i++) messages[i - start] = { value: values[i % values.length]! }
          try {
            await producer.send({ topic: config.topic, acks: scenario.acks, compression, messages })
            result.acknowledged += messages.length
          } catch (error) {
            result.failed += messages.length
            result.firstError ??= (error as Error).message
          }
        }
      }
      await Promise.all(Array.from({ length: config.kafkajsInFlight }, worker))
      return result
    },
    close: () => producer.disconnect(),
  }
}
