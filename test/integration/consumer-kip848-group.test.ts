// KIP-848 consumer group membership (ConsumerGroupHeartbeat, server-side assignors) on every
// broker target: members record what they own through the AssignmentListener; no fetching.
import { describe, expect, it } from 'vitest'
import {
  type KipMemberSpec,
  type KipTestMember,
  OwnershipLedger,
  splitEvenly,
  startKipMember,
} from '../../packages/consumer/test/consumer-protocol-support.js'
import { useGroupTestCluster, useStartedMembers } from './support/group-test-cluster.js'
import { uniqueTopic } from './support/test-cluster.js'
import { createUniqueTopic } from './support/topics.js'
import { waitFor } from './support/wait-for.js'

// Kafka's default 5 s heartbeat interval would make each rebalance step take seconds.
const { cluster, skipReason } = await useGroupTestCluster({
  'group.consumer.min.heartbeat.interval.ms': '500',
  'group.consumer.heartbeat.interval.ms': '500',
})
const PARTITIONS = 12

const running = useStartedMembers<KipTestMember>()
const newTopic = () => createUniqueTopic(cluster?.bootstrapServers ?? [], 'kip848', PARTITIONS)
const member = async (name: string, spec: KipMemberSpec, ledger: OwnershipLedger) =>
  running.add(await startKipMember(cluster?.bootstrapServers ?? [], name, spec, ledger))
const stopMember = (m: KipTestMember) => running.stop(m)

const untilSplit = (members: KipTestMember[], description: string) =>
  waitFor(description, () => (splitEvenly(members, PARTITIONS) ? true : undefined), { timeoutMs: 60_000 })

describe.skipIf(skipReason !== undefined)('KIP-848 consumer group membership', () => {
  it('splits a 12-partition topic between two, then three members, revoking before reassigning', async () => {
    const topic = await newTopic()
    const ledger = new OwnershipLedger()
    const spec = { groupId: uniqueTopic('g'), topics: [topic] }
    const a = await member('a', spec, ledger)
    await a.membership.whenStable()
    await untilSplit([a], 'a owns every partition')
    const b = await member('b', spec, ledger)
    await untilSplit([a, b], 'a and b own 6 partitions each')
    const c = await member('c', spec, ledger)
    await untilSplit([a, b, c], 'a, b and c own 4 partitions each')
    await stopMember(c)
    expect(c.listener.owned.size).toBe(0)
    await untilSplit([a, b], 'a and b share the partitions c gave up')
    expect(ledger.overlaps).toEqual([])
    for (const m of [a, b, c]) expect(m.listener.events.some((e) => e.kind === 'lost')).toBe(false)
  })

  it('splits partitions into ranges with the range server assignor', async () => {
    const topic = await newTopic()
    const ledger = new OwnershipLedger()
    const spec = { groupId: uniqueTopic('g'), topics: [topic], serverAssignor: 'range' as const }
    const a = await member('a', spec, ledger)
    const b = await member('b', spec, ledger)
    await untilSplit([a, b], 'a and b own 6 partitions each')
    for (const m of [a, b]) {
      const partitions = m.membership.assignment.map((tp) => tp.partition)
      expect(partitions.at(-1)! - partitions[0]!).toBe(PARTITIONS / 2 - 1)
    }
    expect(ledger.overlaps).toEqual([])
  })

  it('a static member restarting within its session timeout gets its partitions back without a rebalance', async () => {
    const topic = await newTopic()
    const ledger = new OwnershipLedger()
    const groupId = uniqueTopic('g')
    const a = await member('a', { groupId, topics: [topic], groupInstanceId: 'a-instance' }, ledger)
    const b = await member('b', { groupId, topics: [topic] }, ledger)
    await untilSplit([a, b], 'a and b own 6 partitions each')
    const aOwned = [...a.listener.owned].sort()
    const bEvents = b.listener.events.length
    await stopMember(a)
    const restarted = await member('a-again', { groupId, topics: [topic], groupInstanceId: 'a-instance' }, ledger)
    await restarted.membership.whenStable()
    await untilSplit([restarted, b], 'the restarted member and b own 6 partitions each')
    expect([...restarted.listener.owned].sort()).toEqual(aOwned)
    // b never noticed: nothing was revoked from or assigned to it.
    expect(b.listener.events).toHaveLength(bEvents)
  })

  it('subscribes with a regex the broker resolves', async () => {
    const topic = await newTopic()
    const ledger = new OwnershipLedger()
    const a = await member(
      'a',
      { groupId: uniqueTopic('g'), topics: [], subscribedTopicRegex: `${topic}|no-such-topic` },
      ledger,
    )
    await untilSplit([a], 'a owns every partition of the matching topic')
  })
})
