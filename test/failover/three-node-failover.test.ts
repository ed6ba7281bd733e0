import { describe, expect, it } from 'vitest'
import { kcatConsume, kcatPartitions, kcatProduce, kcatUnavailable } from '../integration/support/kcat.js'
import { uniqueTopic, useTestCluster } from '../integration/support/test-cluster.js'
import { waitFor } from '../integration/support/wait-for.js'

/**
 * A three-node cluster (replication factor 3, min.insync.replicas 2) keeps
 * accepting acks=all writes when the leader of a partition is killed, and the
 * killed node catches up and rejoins the ISR when it comes back.
 */
const kcatMissing = kcatUnavailable()
if (kcatMissing) console.warn(`skipped: ${kcatMissing}`)
const { cluster, skipReason } = kcatMissing
  ? { cluster: undefined, skipReason: kcatMissing }
  : await useTestCluster({ brokers: 3, target: process.env.KAFKA_BROKERS ? undefined : 'jar' })
const nodeControlMissing = cluster && !cluster.nodes ? `the ${cluster.target} target cannot stop its nodes` : undefined
if (nodeControlMissing) console.warn(`skipped: ${nodeControlMissing}`)

const ACKS_ALL = ['-X', 'acks=all']

describe.skipIf(skipReason !== undefined || nodeControlMissing !== undefined)('a three-node cluster', () => {
  const bootstrap = cluster?.bootstrapServers.join(',') ?? ''
  const nodes = cluster?.nodes

  async function fullyReplicated(topic: string) {
    return waitFor(`${topic} has 3 in-sync replicas`, async () => {
      const [partition] = await kcatPartitions(bootstrap, topic)
      return partition && partition.leader >= 0 && partition.isrs.length === 3 ? partition : undefined
    })
  }

  it('keeps taking acks=all writes after its leader is killed, and the node rejoins', async () => {
    if (!nodes) throw new Error('unreachable: skipped without node control')
    const topic = uniqueTopic('failover')
    await kcatProduce(bootstrap, topic, ['k0:before'], ACKS_ALL)
    const before = await fullyReplicated(topic)
    expect(before.replicas.map((r) => r.id).sort()).toEqual([1, 2, 3])
    const killed = before.leader

    await nodes.kill(killed)
    expect(nodes.isRunning(killed)).toBe(false)
    const during = await waitFor('a new leader is elected', async () => {
      const [partition] = await kcatPartitions(bootstrap, topic)
      return partition && partition.leader >= 0 && partition.leader !== killed ? partition : undefined
    })
    expect(during.leader).not.toBe(killed)
    // With min.insync.replicas=2, acks=all succeeds with two live replicas.
    await kcatProduce(bootstrap, topic, ['k1:after-kill', 'k2:after-kill'], ACKS_ALL)

    await nodes.start(killed)
    const after = await fullyReplicated(topic)
    expect(after.isrs.map((r) => r.id)).toContain(killed)
    expect(await kcatConsume(bootstrap, topic)).toEqual(['k0:before', 'k1:after-kill', 'k2:after-kill'])
  })

  it('survives a clean stop and restart of a follower', async () => {
    if (!nodes) throw new Error('unreachable: skipped without node control')
    const topic = uniqueTopic('restart')
    await kcatProduce(bootstrap, topic, ['a:1'], ACKS_ALL)
    const before = await fullyReplicated(topic)
    const follower = before.replicas.map((r) => r.id).find((id) => id !== before.leader)!

    await nodes.stop(follower)
    await waitFor('the stopped follower leaves the ISR', async () => {
      const [partition] = await kcatPartitions(bootstrap, topic)
      return partition && !partition.isrs.some((r) => r.id === follower) ? partition : undefined
    })
    await kcatProduce(bootstrap, topic, ['b:2'], ACKS_ALL)
    await nodes.start(follower)
    await fullyReplicated(topic)
    expect(await kcatConsume(bootstrap, topic)).toEqual(['a:1', 'b:2'])
  })
})
