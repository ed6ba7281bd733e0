// KIP-848 consumer group membership (ConsumerGroupHeartbeat, server-side assignors) on every
// broker target: members record what they own through the AssignmentListener; no fetching.
import { KafkaClient } from '@kafkit/client'
import type { EmbeddedKafka } from '@kafkit/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type KipMemberSpec,
  type KipTestMember,
  OwnershipLedger,
  splitEvenly,
  startKipMember,
} from '../../packages/consumer/test/consumer-protocol-support.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic } from './support/topics.js'
import { waitFor } from './support/wait-for.js'

// Kafka's default 5 s heartbeat interval would make each rebalance step take seconds.
const HEARTBEAT_CONFIG = {
  'group.consumer.min.heartbeat.interval.ms': '500',
  'group.consumer.heartbeat.interval.ms': '500',
}
const { cluster, skipReason } = await useTestCluster({ brokerConfig: HEARTBEAT_CONFIG })
if (cluster?.target === 'embedded') {
  // The embedded broker takes the same settings as dynamic cluster-wide broker configs.
  ;(cluster as unknown as EmbeddedKafka).control.state.brokerConfigs.set('', new Map(Object.entries(HEARTBEAT_CONFIG)))
}
const PARTITIONS = 12

let started: KipTestMember[] = []
afterEach(async () => {
  await Promise.all(started.map((m) => m.stop()))
  started = []
})

async function newTopic(): Promise<string> {
  const admin = new KafkaClient({ brokers: cluster?.bootstrapServers ?? [] })
  try {
    const topic = uniqueTopic('kip848')
    await createTopic(admin, topic, PARTITIONS)
    return topic
  } finally {
    await admin.close()
  }
}

async function member(name: string, spec: KipMemberSpec, ledger: OwnershipLedger): Promise<KipTestMember> {
  const m = await startKipMember(cluster?.bootstrapServers ?? [], name, spec, ledger)
  started.push(m)
  return m
}

async function stopMember(m: KipTestMember): Promise<void> {
  started = started.filter((other) => other !== m)
  await m.stop()
}

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
