import { ElectionNotNeededError } from '@kafkit/protocol'
import { type Admin, AdminPartialFailureError, Kafka, type PartitionDescription } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from '../integration/support/test-cluster.js'
import { waitFor } from '../integration/support/wait-for.js'

/**
 * Partition reassignments and leader elections on a three-node cluster, where
 * they move data and leadership for real: a reassignment copies a replica to
 * another node and completes; one onto a stopped node stays ongoing until
 * cancelled; after a node restarts, a preferred election gives it back the
 * leadership it lost. The jar cluster by default (KAFKIT_TARGET=embedded runs
 * the same file on a three-broker embedded cluster). Automatic leader
 * rebalancing is off so that only the election under test moves leaders.
 */
const { cluster, skipReason } = await useTestCluster({
  brokers: 3,
  target: process.env.KAFKA_BROKERS ? undefined : process.env.KAFKIT_TARGET === 'embedded' ? 'embedded' : 'jar',
  brokerConfig: { 'auto.leader.rebalance.enable': 'false' },
})
const nodeControlMissing = cluster && !cluster.nodes ? `the ${cluster.target} target cannot stop its nodes` : undefined
if (nodeControlMissing) console.warn(`skipped: ${nodeControlMissing}`)

describe.skipIf(skipReason !== undefined || nodeControlMissing !== undefined)(
  'admin cluster calls on three nodes',
  () => {
    let admin: Admin
    let kafka: Kafka
    beforeAll(async () => {
      kafka = new Kafka({ clientId: 'kafkit-admin-failover', brokers: cluster!.bootstrapServers })
      admin = kafka.admin({ defaultApiTimeoutMs: 30_000 })
      await admin.connect()
    })
    afterAll(async () => {
      await admin?.disconnect()
    })

    async function partition0(topic: string): Promise<PartitionDescription> {
      const [description] = await admin.describeTopics({ topics: [topic] })
      return description!.partitions[0]!
    }

    async function createOnReplicas(prefix: string, replicas: number[]): Promise<string> {
      const topic = uniqueTopic(prefix)
      await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas }] }] })
      await waitFor(`${topic} is fully replicated`, async () => {
        const p = await partition0(topic).catch(() => undefined)
        return p && p.isr.length === replicas.length && p.leader === replicas[0] ? p : undefined
      })
      return topic
    }

    it('moves a replica to another node: the reassignment completes and the new node holds the data', async () => {
      const topic = await createOnReplicas('move', [1, 2])
      const producer = kafka.producer()
      await producer.connect()
      await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `record-${i}` })) })
      await producer.disconnect()

      expect(
        await admin.alterPartitionReassignments({
          topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [3, 2] }] }],
          allowReplicationFactorChange: false,
        }),
      ).toEqual([{ topic, partition: 0 }])
      // Listed while node 3 catches up (it may already have), never after.
      await waitFor('the reassignment is no longer listed', async () => {
        const { topics } = await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0] }] })
        return topics.length === 0 ? topics : undefined
      })
      const after = await waitFor('the replicas are 3 and 2, both in sync', async () => {
        const p = await partition0(topic)
        return p.replicas.join() === '3,2' && [...p.isr].sort().join() === '2,3' ? p : undefined
      })
      // The old leader left: the first in-sync replica of the new list leads.
      expect(after.leader).toBe(3)
      const [onNode3] = await admin.describeLogDirs([3])
      const replica = onNode3!.logDirs.flatMap((d) => d.replicas).find((r) => r.topic === topic)
      expect(replica?.sizeBytes).toBeGreaterThan(0n)
    })

    it('keeps a reassignment onto a stopped node ongoing until cancelled, and elects the preferred leader once the node is back', async () => {
      const nodes = cluster!.nodes!
      const elected = await createOnReplicas('preferred', [1, 2, 3])
      const moved = await createOnReplicas('stuck', [2, 3])

      await nodes.stop(1)
      try {
        const during = await waitFor('node 1 lost the leadership', async () => {
          const p = await partition0(elected)
          return p.leader >= 0 && p.leader !== 1 && !p.isr.includes(1) ? p : undefined
        })
        expect(during.replicas).toEqual([1, 2, 3])

        // Node 1 cannot catch up while stopped: the reassignment waits for it.
        await admin.alterPartitionReassignments({
          topics: [{ topic: moved, partitionAssignment: [{ partition: 0, replicas: [1, 3] }] }],
        })
        expect(await admin.listPartitionReassignments({ topics: [{ topic: moved, partitions: [0] }] })).toEqual({
          topics: [
            {
              topic: moved,
              partitions: [{ partition: 0, replicas: [1, 3, 2], addingReplicas: [1], removingReplicas: [2] }],
            },
          ],
        })
        expect((await partition0(moved)).replicas).toEqual([1, 3, 2])
        await admin.alterPartitionReassignments({
          topics: [{ topic: moved, partitionAssignment: [{ partition: 0, replicas: null }] }],
        })
        expect(await admin.listPartitionReassignments()).toEqual({ topics: [] })
        // Kafka reverts by dropping the adding replicas from the list, which keeps the target's order.
        expect(await partition0(moved)).toMatchObject({ replicas: [3, 2], leader: 2 })
      } finally {
        await nodes.start(1)
      }

      await waitFor('node 1 is back in the ISR', async () => {
        const p = await partition0(elected)
        return p.isr.includes(1) ? p : undefined
      })
      expect((await partition0(elected)).leader).not.toBe(1)
      expect(await admin.electLeaders({ partitions: [{ topic: elected, partition: 0 }] })).toEqual([
        { topic: elected, partition: 0 },
      ])
      // The controller has elected node 1; the brokers' metadata follows a moment later.
      await waitFor('node 1 leads again', async () => ((await partition0(elected)).leader === 1 ? true : undefined))
      const again = await admin
        .electLeaders({ partitions: [{ topic: elected, partition: 0 }] })
        .catch((e: unknown) => e)
      expect(again).toBeInstanceOf(AdminPartialFailureError)
      expect((again as AdminPartialFailureError).failures[0]!.error).toBeInstanceOf(ElectionNotNeededError)
    })
  },
)
