import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { ConnectionError, DIAGNOSTICS_CHANNELS, KafkaClient } from '@kafkit/client'
import {
  AuthenticationError,
  createListOffsetsRequest,
  createListOffsetsRequestListOffsetsPartition,
  createListOffsetsRequestListOffsetsTopic,
} from '@kafkit/protocol'
import type { ListenerEndpoint, SaslMechanism } from '@kafkit/testkit'
import { describe, expect, it } from 'vitest'
import { clientOptionsFor } from './support/client-options.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { waitFor } from './support/wait-for.js'

/**
 * kafkit's network core against every listener of the target: connect,
 * negotiate versions, load metadata, route a request to a partition leader and
 * find a group coordinator, over each security protocol and SASL mechanism.
 */
// A short SASL session on one listener and mechanism, to see re-authentication (KIP-368) happen.
const REAUTH_MS = 4000
const { cluster, skipReason } = await useTestCluster({
  brokerConfig: { 'listener.name.sasl_plaintext.scram-sha-256.connections.max.reauth.ms': String(REAUTH_MS) },
})

const cases: { name: string; listener: ListenerEndpoint; mechanism?: SaslMechanism }[] = []
for (const listener of Object.values(cluster?.listeners ?? {})) {
  if (listener.sasl) {
    for (const mechanism of listener.sasl.mechanisms)
      cases.push({ name: `${listener.securityProtocol} ${mechanism}`, listener, mechanism })
  } else cases.push({ name: listener.securityProtocol, listener })
}

describe.skipIf(skipReason !== undefined)(`the network core against the ${cluster?.target} target`, () => {
  it.for(cases)('connects, negotiates, routes and finds a coordinator over $name', async ({ listener, mechanism }) => {
    await using client = new KafkaClient({ clientId: 'kafkit-test', ...clientOptionsFor(listener, mechanism) })
    await client.connect()
    const { metadata } = client.cluster
    expect(metadata.brokers.length).toBeGreaterThan(0)
    expect(metadata.clusterId).toBeTruthy()

    const topic = uniqueTopic('network')
    await client.cluster.refreshMetadata({ topics: [topic], allowAutoTopicCreation: true })
    const response = await client.cluster.requestToLeader(
      topic,
      0,
      'ListOffsets',
      createListOffsetsRequest({
        replicaId: -1,
        topics: [
          createListOffsetsRequestListOffsetsTopic({
            name: topic,
            partitions: [createListOffsetsRequestListOffsetsPartition({ partitionIndex: 0, timestamp: -1n })],
          }),
        ],
      }),
      // A fresh topic may not have a leader yet: LEADER_NOT_AVAILABLE is retried.
      { errorCodeOf: (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0, deadlineMs: 30_000 },
    )
    expect(response.topics[0]?.partitions[0]?.offset).toBe(0n)

    const coordinator = await client.cluster.findCoordinator('group', `group-${topic}`)
    expect(metadata.broker(coordinator)).toBeDefined()
  })

  it('fails a wrong password with an authentication error after one attempt, without reconnecting', async ({
    skip,
  }) => {
    const listener = cluster?.listeners.SASL_PLAINTEXT
    if (!listener?.sasl) return skip('the target has no SASL listener')
    await using client = new KafkaClient({
      ...clientOptionsFor(listener, 'SCRAM-SHA-512', { username: 'alice', password: 'wrong' }),
    })
    let connects = 0
    let handshakes = 0
    client.on('request', ({ api }) => {
      if (api === 'ApiVersions') connects++
      if (api === 'SaslHandshake') handshakes++
    })
    await expect(client.connect()).rejects.toBeInstanceOf(AuthenticationError)
    expect(connects).toBe(1)
    expect(handshakes).toBe(1)
  })

  it('re-authenticates before the session the broker granted expires, without failing requests', async ({ skip }) => {
    const listener = cluster?.listeners.SASL_PLAINTEXT
    if (!listener?.sasl || (cluster?.target !== 'jar' && cluster?.target !== 'embedded')) {
      return skip(`the ${cluster?.target} target's session lifetime is not set by this suite`)
    }
    await using client = new KafkaClient(clientOptionsFor(listener, 'SCRAM-SHA-256'))
    let handshakes = 0
    let disconnects = 0
    client.on('request', ({ api }) => {
      if (api === 'SaslHandshake') handshakes++
    })
    client.on('disconnect', () => disconnects++)
    await client.connect()
    // Keep using the connection across more than one session lifetime.
    await waitFor(
      'the connection authenticated a second time',
      async () => {
        await client.cluster.refreshMetadata()
        return handshakes >= 2 ? handshakes : undefined
      },
      { timeoutMs: REAUTH_MS * 4, intervalMs: 200 },
    )
    await client.cluster.refreshMetadata()
    expect(disconnects).toBe(0)
  })

  it('reports requests as events, on diagnostics_channel and in the metrics snapshot', async () => {
    const listener = cluster!.listeners.PLAINTEXT!
    await using client = new KafkaClient(clientOptionsFor(listener))
    const seen: string[] = []
    const onChannel = (message: unknown) => seen.push((message as { api: string }).api)
    subscribe(DIAGNOSTICS_CHANNELS.response, onChannel)
    const latencies: number[] = []
    client.on('response', ({ latencyMs }) => latencies.push(latencyMs))
    try {
      await client.connect()
      await client.cluster.refreshMetadata()
    } finally {
      unsubscribe(DIAGNOSTICS_CHANNELS.response, onChannel)
    }
    expect(seen).toContain('ApiVersions')
    expect(seen.filter((api) => api === 'Metadata').length).toBeGreaterThanOrEqual(2)
    expect(latencies.every((ms) => ms >= 0)).toBe(true)
    const metrics = Object.values(client.metricsSnapshot())
    const metadata = metrics.map((apis) => apis.Metadata).find((m) => m !== undefined)
    expect(metadata?.requests).toBeGreaterThanOrEqual(2)
    expect(metadata?.bytesIn).toBeGreaterThan(0)
    expect(metadata?.errors).toBe(0)
  })

  it('verifies the broker certificate against the host name it was reached by', async ({ skip }) => {
    const listener = cluster?.listeners.SSL
    if (!listener?.tls) return skip('the target has no SSL listener')
    await using client = new KafkaClient({
      brokers: listener.bootstrapServers,
      ssl: { ca: listener.tls.caPem, servername: 'not-the-broker.example' },
      retryBackoffMaxMs: 100,
    })
    await expect(client.connect()).rejects.toBeInstanceOf(ConnectionError)
  })
})
