import { KafkaClient } from '@kafkit/client'
import {
  createListOffsetsRequest,
  createListOffsetsRequestListOffsetsPartition,
  createListOffsetsRequestListOffsetsTopic,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from '../integration/support/test-cluster.js'
import { waitFor } from '../integration/support/wait-for.js'

/**
 * After the leader of a partition is killed, a request routed to that
 * partition fails over: the client sees the connection fail, refreshes
 * metadata, finds the new leader and succeeds within the operation's deadline.
 */
const { cluster, skipReason } = await useTestCluster({
  brokers: 3,
  target: process.env.KAFKA_BROKERS ? undefined : 'jar',
})
const noNodeControl = cluster && !cluster.nodes ? `the ${cluster.target} target cannot kill nodes` : undefined
if (noNodeControl) console.warn(`skipped: ${noNodeControl}`)

function latestOffsetRequest(topic: string) {
  return createListOffsetsRequest({
    replicaId: -1,
    topics: [
      createListOffsetsRequestListOffsetsTopic({
        name: topic,
        partitions: [createListOffsetsRequestListOffsetsPartition({ partitionIndex: 0, timestamp: -1n })],
      }),
    ],
  })
}

describe.skipIf(skipReason !== undefined || noNodeControl !== undefined)('routing after a leader dies', () => {
  it('reaches the new leader once metadata is refreshed, within the deadline', async () => {
    const nodes = cluster!.nodes!
    await using client = new KafkaClient({ brokers: cluster!.bootstrapServers, requestTimeoutMs: 5_000 })
    await client.connect()
    const topic = uniqueTopic('leader-failover')
    const errorCodeOf = (r: { topics: { partitions: { errorCode: number }[] }[] }) =>
      r.topics[0]?.partitions[0]?.errorCode ?? 0
    await client.cluster.refreshMetadata({ topics: [topic], allowAutoTopicCreation: true })
    await client.cluster.requestToLeader(topic, 0, 'ListOffsets', latestOffsetRequest(topic), {
      errorCodeOf,
      deadlineMs: 30_000,
    })
    const leader = await waitFor('the partition is fully replicated', async () => {
      await client.cluster.refreshMetadata({ topics: [topic] })
      const partition = client.cluster.metadata.partition(topic, 0)
      return partition && partition.isr.length === 3 ? partition.leader : undefined
    })

    await nodes.kill(leader)
    const response = await client.cluster.requestToLeader(topic, 0, 'ListOffsets', latestOffsetRequest(topic), {
      errorCodeOf,
      deadlineMs: 60_000,
    })
    expect(response.topics[0]?.partitions[0]?.errorCode).toBe(0)
    const newLeader = client.cluster.metadata.partition(topic, 0)?.leader
    expect(newLeader).not.toBe(leader)
    expect(newLeader).toBeGreaterThanOrEqual(0)
    await nodes.start(leader)
  })
})
