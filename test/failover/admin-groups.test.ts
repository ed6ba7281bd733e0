import { type Admin, Kafka } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from '../integration/support/test-cluster.js'
import { createTopic } from '../integration/support/topics.js'
import { waitFor } from '../integration/support/wait-for.js'

/**
 * Consumer group and transaction listings on a three-node cluster, where each
 * broker coordinates its own share of the groups: listGroups and
 * listTransactions must ask every broker and merge. After the coordinator of a
 * group is stopped, the group's offsets are read and reset at its new
 * coordinator. The jar cluster by default (KAFKIT_TARGET=embedded runs the
 * same file on a three-broker embedded cluster).
 */
const { cluster, skipReason } = await useTestCluster({
  brokers: 3,
  target: process.env.KAFKA_BROKERS ? undefined : process.env.KAFKIT_TARGET === 'embedded' ? 'embedded' : 'jar',
})
const nodeControlMissing = cluster && !cluster.nodes ? `the ${cluster.target} target cannot stop its nodes` : undefined
if (nodeControlMissing) console.warn(`skipped: ${nodeControlMissing}`)

describe.skipIf(skipReason !== undefined || nodeControlMissing !== undefined)('admin groups on three nodes', () => {
  let admin: Admin
  let kafka: Kafka
  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'kafkit-admin-groups-failover', brokers: cluster!.bootstrapServers })
    admin = kafka.admin({ defaultApiTimeoutMs: 45_000 })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.disconnect()
  })

  it('lists the groups and transactions of every coordinator, and follows a group to its new coordinator', async () => {
    const nodes = cluster!.nodes!
    const topic = uniqueTopic('admin-groups-3')
    await createTopic(admin.client, topic, 2)
    // Enough groups that every broker coordinates some (their coordinators are spread by hash).
    const groupIds = Array.from({ length: 12 }, (_, i) => uniqueTopic(`spread-${i}`))
    await Promise.all(
      groupIds.map((groupId, i) =>
        admin.alterGroupOffsets({ groupId, offsets: [{ topic, partition: i % 2, offset: BigInt(i) }] }),
      ),
    )
    const listed = (await admin.listGroups()).groups.filter((g) => groupIds.includes(g.groupId))
    expect(listed.map((g) => g.groupId).sort()).toEqual([...groupIds].sort())
    const coordinators = new Set(listed.map((g) => g.coordinatorId))
    expect(coordinators.size).toBeGreaterThan(1)
    for (const group of listed) {
      expect(group.coordinatorId).toBe(await admin.client.cluster.findCoordinator('group', group.groupId))
    }

    const producers = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async () => {
        const producer = kafka.producer({ transactionalId: uniqueTopic('spread-tx'), lingerMs: 0 })
        await producer.connect()
        const txn = await producer.transaction()
        await txn.send({ topic, messages: [{ value: 'x' }] })
        return { producer, txn }
      }),
    )
    try {
      const ongoing = await admin.listTransactions({ states: ['Ongoing'] })
      const described = await admin.describeTransactions(ongoing.map((t) => t.transactionalId))
      expect(described.map((d) => d.state)).toEqual(ongoing.map(() => 'Ongoing'))
      expect(described.map((d) => d.coordinatorId)).toEqual(ongoing.map((t) => t.coordinatorId))
      expect(ongoing.length).toBeGreaterThanOrEqual(6)
    } finally {
      for (const { producer, txn } of producers) {
        await txn.abort()
        await producer.disconnect()
      }
    }

    // Stop the coordinator of one group: its offsets live on in the replicated offsets topic.
    const [moved] = listed
    const stopped = moved!.coordinatorId
    await nodes.stop(stopped)
    try {
      const index = groupIds.indexOf(moved!.groupId)
      const offsets = await admin.fetchOffsets({ groupId: moved!.groupId })
      expect(offsets).toEqual([
        { topic, partitions: [{ partition: index % 2, offset: BigInt(index), leaderEpoch: null, metadata: '' }] },
      ])
      const reset = await admin.resetGroupOffsets({ groupId: moved!.groupId, to: 'earliest' })
      expect(reset).toEqual([{ topic, partition: index % 2, previousOffset: BigInt(index), offset: 0n }])
      const { groups } = await admin.describeGroups([moved!.groupId])
      expect(groups[0]!.coordinatorId).not.toBe(stopped)
      await waitFor('the stopped broker is out of the listing', async () => {
        await admin.client.cluster.refreshMetadata({ topics: [] })
        const brokers = admin.client.cluster.metadata.brokers.map((b) => b.nodeId)
        return brokers.includes(stopped) ? undefined : true
      })
      const afterStop = (await admin.listGroups()).groups.filter((g) => groupIds.includes(g.groupId))
      expect(afterStop.map((g) => g.groupId).sort()).toEqual([...groupIds].sort())
      expect(afterStop.every((g) => g.coordinatorId !== stopped)).toBe(true)
    } finally {
      await nodes.start(stopped)
    }
  })
})
