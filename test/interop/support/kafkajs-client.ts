import kafkajs, {
  type Consumer,
  type IHeaders,
  type KafkaConfig,
  type KafkaMessage,
  type Message,
  type Producer,
} from 'kafkajs'
import { registerKafkajsCodecs } from '../../../bench/src/peers/kafkajs-codecs.js'
import { waitFor } from '../../integration/support/wait-for.js'
import type { ReceivedRecord, TestRecord } from './records.js'

const { Kafka, logLevel, Partitioners } = kafkajs
export const { CompressionTypes } = kafkajs
export type KafkajsCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
export const KAFKAJS_COMPRESSION: Record<KafkajsCompression, number> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
}

// kafkajs ships gzip only: snappy, lz4 and zstd go through the plug-ins the
// benchmarks register, which call @kafkit/protocol's codecs.
registerKafkajsCodecs(kafkajs)

/** A kafkajs client whose log lines are kept (and printed by the test on failure) instead of written out. */
export class KafkajsHarness {
  readonly logs: string[] = []
  readonly kafka: InstanceType<typeof Kafka>
  private readonly clients: { disconnect(): Promise<void> }[] = []

  constructor(brokers: string[], config: Partial<KafkaConfig> = {}) {
    this.kafka = new Kafka({
      clientId: 'interop-kafkajs',
      brokers,
      logLevel: logLevel.INFO,
      logCreator: () => (entry) => {
        if (this.logs.length < 2_000) this.logs.push(`${entry.namespace} ${entry.log.message} ${extra(entry.log)}`)
      },
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2_000 },
      ...config,
    })
  }

  producer(options: { idempotent?: boolean } = {}): Producer {
    const producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: options.idempotent ?? false,
      ...(options.idempotent ? { maxInFlightRequests: 1 } : {}),
    })
    this.clients.push(producer)
    return producer
  }

  consumer(groupId: string): Consumer {
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 500 })
    this.clients.push(consumer)
    return consumer
  }

  admin() {
    const admin = this.kafka.admin()
    this.clients.push(admin)
    return admin
  }

  /** Disconnects every client it made; safe to call twice. */
  async close(): Promise<void> {
    await Promise.allSettled(this.clients.splice(0).map((client) => client.disconnect()))
  }
}

function extra(log: Record<string, unknown>): string {
  const { message: _message, timestamp: _timestamp, logger: _logger, ...rest } = log
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : ''
}

export function toKafkajsMessage(record: TestRecord, explicitPartition: boolean): Message {
  const headers: IHeaders = {}
  for (const [key, value] of record.headers) headers[key] = value
  return {
    key: record.key,
    value: record.value,
    headers,
    timestamp: String(record.timestamp),
    ...(explicitPartition ? { partition: record.partition } : {}),
  }
}

/** Sends the records in order, `perSend` at a time (each send a separate request, so partitions get several batches). */
export async function kafkajsProduce(
  producer: Producer,
  topic: string,
  records: readonly TestRecord[],
  options: { compression?: KafkajsCompression; perSend?: number; explicitPartition?: boolean } = {},
): Promise<void> {
  const perSend = options.perSend ?? 100
  for (let at = 0; at < records.length; at += perSend) {
    await producer.send({
      topic,
      acks: -1,
      compression: KAFKAJS_COMPRESSION[options.compression ?? 'none'],
      messages: records.slice(at, at + perSend).map((r) => toKafkajsMessage(r, options.explicitPartition ?? false)),
    })
  }
}

export function fromKafkajsHeaders(headers: IHeaders | undefined): [string, Buffer][] {
  const out: [string, Buffer][] = []
  for (const [key, value] of Object.entries(headers ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined) out.push([key, Buffer.isBuffer(one) ? one : Buffer.from(one)])
    }
  }
  return out
}

/**
 * Runs `consumer` over `topic` from the beginning until `count` records have
 * arrived (or `timeoutMs` passes), then stops it. Returns what it read, in the
 * order eachMessage saw it.
 */
export async function kafkajsConsume(
  consumer: Consumer,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<ReceivedRecord[]> {
  const received: ReceivedRecord[] = []
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      received.push(fromKafkajsMessage(partition, message))
    },
  })
  try {
    await waitFor(`${count} records of ${topic} are consumed`, () => (received.length >= count ? true : undefined), {
      timeoutMs,
      intervalMs: 50,
    })
  } catch (error) {
    throw new Error(`${(error as Error).message} (${received.length} arrived)`)
  } finally {
    await consumer.stop()
  }
  return received
}

export function fromKafkajsMessage(partition: number, message: KafkaMessage): ReceivedRecord {
  return {
    partition,
    offset: BigInt(message.offset),
    key: message.key ?? null,
    value: message.value,
    headers: fromKafkajsHeaders(message.headers),
    timestamp: Number(message.timestamp),
  }
}
