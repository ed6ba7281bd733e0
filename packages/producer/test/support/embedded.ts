import { KafkaClient } from '@kafkit/client'
import { type EmbeddedKafka, startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, beforeAll } from 'vitest'

export { createTopic, readPartition } from '../../../../test/integration/support/topics.js'

export interface EmbeddedFixture {
  kafka: EmbeddedKafka
  client: KafkaClient
}

/** One embedded cluster for the file, and a client to set up topics and read records back. */
export function useEmbedded(brokers = 1): EmbeddedFixture {
  const fixture = {} as EmbeddedFixture
  beforeAll(async () => {
    fixture.kafka = await startEmbeddedKafka({ brokers, security: false })
    fixture.client = new KafkaClient({ brokers: fixture.kafka.bootstrapServers, requestTimeoutMs: 5000 })
    await fixture.client.connect()
  })
  afterAll(async () => {
    await fixture.client?.close()
    await fixture.kafka?.stop()
  })
  return fixture
}

let topics = 0
export function freshTopic(prefix = 'producer'): string {
  return `${prefix}-${++topics}-${Math.random().toString(36).slice(2, 8)}`
}

/**
 * Holds every Produce request the broker receives, so nothing is acknowledged
 * (a producer's buffer stays full). Call the returned function to stop
 * holding new requests and let the held ones through.
 */
export function holdProduceRequests(kafka: EmbeddedKafka): () => void {
  let release: () => void = () => {}
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  const remove = kafka.control.intercept('Produce', {}, async () => {
    await held
    return undefined
  })
  return () => {
    remove()
    release()
  }
}
