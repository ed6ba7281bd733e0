import { KafkaClient } from '@kafkit/client'
import { afterAll, beforeAll } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../../src/embedded/embedded-kafka.js'
import type { AuthorizerOptions } from '../../src/embedded/security/authorizer.js'

/** The broker id of the single-broker fixture: every partition's leader (with one broker). */
export const NODE = 1

export interface SingleBroker {
  readonly kafka: EmbeddedKafka
  readonly client: KafkaClient
  /** A fresh topic, named `<prefix>-<n>`, created directly in the cluster state. */
  topic(partitions?: number, configs?: Record<string, string>): string
}

/**
 * One PLAINTEXT embedded broker and a connected client for a test file (or the
 * describe block it is called in), stopped after it. `brokers` starts a cluster
 * of that many instead, for the cases that need a broker that is not the leader
 * or coordinator; `authorizer` makes it enforce ACLs.
 */
export function useSingleBroker(
  prefix: string,
  { brokers = 1, authorizer }: { brokers?: number; authorizer?: AuthorizerOptions } = {},
): SingleBroker {
  let kafka: EmbeddedKafka | undefined
  let client: KafkaClient | undefined
  let count = 0
  beforeAll(async () => {
    kafka = await startEmbeddedKafka({ brokers, security: false, authorizer })
    client = new KafkaClient({ brokers: kafka.bootstrapServers })
    await client.connect()
  })
  afterAll(async () => {
    await client?.close()
    await kafka?.stop()
  })
  return {
    get kafka() {
      if (!kafka) throw new Error('the broker starts in beforeAll')
      return kafka
    },
    get client() {
      if (!client) throw new Error('the client connects in beforeAll')
      return client
    },
    topic(partitions = 1, configs = {}) {
      const name = `${prefix}-${count++}`
      this.kafka.control.state.createTopic(name, partitions, 1, new Map(Object.entries(configs)))
      return name
    },
  }
}
