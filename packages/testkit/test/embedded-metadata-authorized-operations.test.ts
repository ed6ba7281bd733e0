import { KafkaClient } from '@kafkit/client'
import { createMetadataRequest } from '@kafkit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import { AclOperation, PatternType, PermissionType, ResourceType } from '../src/embedded/security/acl-binding.js'
import { securityOf } from '../src/embedded/security/security-state.js'

/**
 * Metadata's topic authorized operations (v8+): omitted unless asked for, and
 * then what the ACLs allow the principal, as a bitfield of ACL operation codes.
 * (The cluster's are only in v8-10, below the version clients negotiate.)
 */
let open: EmbeddedKafka
let guarded: EmbeddedKafka
const clients: KafkaClient[] = []

async function metadata(kafka: EmbeddedKafka, asked: boolean) {
  const client = new KafkaClient({ brokers: kafka.bootstrapServers, requestTimeoutMs: 5000 })
  clients.push(client)
  return client.cluster.requestAny(
    'Metadata',
    createMetadataRequest({
      topics: [{ name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      includeTopicAuthorizedOperations: asked,
    }),
  )
}

beforeAll(async () => {
  open = await startEmbeddedKafka({ brokers: 1, security: false })
  open.control.state.createTopic('orders', 1, 1)
  guarded = await startEmbeddedKafka({ brokers: 1, security: false, authorizer: { superUsers: ['User:admin'] } })
  guarded.control.state.createTopic('orders', 1, 1)
  securityOf(guarded.control.state).authorizer?.add({
    resourceType: ResourceType.TOPIC,
    resourceName: 'orders',
    patternType: PatternType.LITERAL,
    principal: 'User:ANONYMOUS',
    host: '*',
    operation: AclOperation.READ,
    permissionType: PermissionType.ALLOW,
  })
})
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()))
  await open?.stop()
  await guarded?.stop()
})

describe('Metadata authorized operations on the embedded broker', () => {
  it('are omitted unless asked for', async () => {
    const response = await metadata(open, false)
    expect(response.topics[0]!.topicAuthorizedOperations).toBe(-2147483648)
  })

  it('are every operation of a topic without ACLs', async () => {
    const response = await metadata(open, true)
    expect(response.topics[0]!.topicAuthorizedOperations).toBe(3576)
  })

  it('are what the ACLs allow: READ implies DESCRIBE', async () => {
    const response = await metadata(guarded, true)
    const bits = (1 << AclOperation.READ) | (1 << AclOperation.DESCRIBE)
    expect(response.topics[0]!.topicAuthorizedOperations).toBe(bits)
  })
})
