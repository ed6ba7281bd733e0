/**
 * Drives kafkit's producer the fastest supported way: one `produce(record,
 * onDelivery)` call per record (no promise per record), one shared callback
 * counting acknowledgements, and `await producer.waitForBuffer()` every 512
 * records so the loop never outruns the broker (it is already resolved while
 * the buffer has room).
 */
import { type DeliveryCallback, Kafka, type KafkitProducer } from 'kafkit'
import type { RunConfig } from '../producer-scenarios.js'

export interface Delivered {
  acknowledged: number
  failed: number
  firstError?: string
}

export async function openKafkit(config: RunConfig) {
  const { scenario } = config
  const kafka = new Kafka({ clientId: 'bench-kafkit', brokers: config.brokers })
  const producer = kafka.producer({
    acks: scenario.acks,
    idempotent: scenario.idempotent,
    compression: scenario.compression,
    batchBytes: config.kafkitBatchBytes,
    lingerMs: config.kafkitLingerMs,
    maxInFlightRequests: config.kafkitMaxInFlight,
    maxRequestBytes: config.kafkitMaxRequestBytes,
  })
  await producer.connect()
  return {
    produce: (count: number, values: Buffer[]) => produceAll(producer, config.topic, count, values),
    close: () => producer.disconnect(),
  }
}

async function produceAll(
  producer: KafkitProducer,
  topic: string,
  count: number,
  values: Buffer[],
): Promise<Delivered> {
  const result: Delivered = { acknowledged: 0, failed: 0 }
  let finish: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const onDelivery: DeliveryCallback = (error) => {
    if (error === null) result.acknowledged++
    else {
      result.failed++
      result.firstError ??= error.message
    }
    if (result.acknowledged + result.failed === count) finish()
  }
  for (let i = 0; i < count; i++) {
    producer.produce({ topic, value: values[i % values.length]! }, onDelivery)
    if ((i & 511) === 511) await producer.waitForBuffer()
  }
  await producer.flush()
  await finished
  return result
}
