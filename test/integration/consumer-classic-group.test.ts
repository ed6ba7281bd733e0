// Classic consumer group membership (JoinGroup / SyncGroup / Heartbeat / LeaveGroup) on every
// broker target: members record what they own through the AssignmentListener; no fetching.
import { KafkaClient } from '@kafkit/client'
import { InconsistentGroupProtocolError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import {
  CooperativeStickyAssignor,
  RangeAssignor,
  RoundRobinAssignor,
} from '../../packages/consumer/src/assignors/index.js'
import {
  type MemberSpec,
  ownedAgrees,
  splitEvenly,
  startMember,
  type TestMember,
} from '../../packages/consumer/test/classic-support.js'
import { useGroupTestCluster, useStartedMembers } from './support/group-test-cluster.js'
import { uniqueTopic } from './support/test-cluster.js'
import { createUniqueTopic } from './support/topics.js'
import { waitFor } from './support/wait-for.js'

// Real Kafka refuses sessions under 6 s by default; the slow-application case needs shorter ones.
const { cluster, skipReason } = await useGroupTestCluster({ 'group.min.session.timeout.ms': '500' })
const PARTITIONS = 12

const running = useStartedMembers<TestMember>()
const newTopic = () => createUniqueTopic(cluster?.bootstrapServers ?? [], 'classic', PARTITIONS)
const member = async (name: string, spec: MemberSpec) =>
  running.add(await startMember(cluster?.bootstrapServers ?? [], name, spec))
const stopMember = (m: TestMember) => running.stop(m)

function untilSplit(members: TestMember[], description: string): Promise<true> {
  return waitFor(description, () => (splitEvenly(members, PARTITIONS) ? true : undefined), { timeoutMs: 60_000 })
}

describe.skipIf(skipReason !== undefined)('classic consumer group membership', () => {
  it('splits a 12-partition topic between two, then three members, and back to two when one leaves', async () => {
    const topic = await newTopic()
    const spec = { groupId: uniqueTopic('g'), topics: [topic], assignors: [new RangeAssignor()] }
    const a = await member('a', spec)
    await a.membership.whenStable()
    await untilSplit([a], 'a owns every partition')
    const b = await member('b', spec)
    await untilSplit([a, b], 'a and b own 6 partitions each')
    const c = await member('c', spec)
    await untilSplit([a, b, c], 'a, b and c own 4 partitions each')
    for (const m of [a, b, c]) expect(ownedAgrees(m)).toBe(true)
    await stopMember(c)
    expect(c.listener.owned.size).toBe(0)
    await untilSplit([a, b], 'a and b share the partitions c gave up')
  })

  it('eager (range): a member revokes everything it owns before rejoining', async () => {
    const topic = await newTopic()
    const spec = { groupId: uniqueTopic('g'), topics: [topic], assignors: [new RangeAssignor()] }
    const a = await member('a', spec)
    await untilSplit([a], 'a owns every partition')
    expect(a.membership.rebalanceProtocol).toBe('EAGER')
    const b = await member('b', spec)
    await untilSplit([a, b], 'a and b own 6 partitions each')
    const revoked = a.listener.of('revoked')
    expect(revoked[0]?.partitions).toHaveLength(PARTITIONS)
    expect(a.listener.of('lost')).toEqual([])
  })

  it('cooperative-sticky: members keep the partitions that stay, revoke only those that move, in two rebalances', async () => {
    const topic = await newTopic()
    const spec = { groupId: uniqueTopic('g'), topics: [topic], assignors: [new CooperativeStickyAssignor()] }
    const a = await member('a', spec)
    await untilSplit([a], 'a owns every partition')
    expect(a.membership.rebalanceProtocol).toBe('COOPERATIVE')
    const b = await member('b', spec)
    await untilSplit([a, b], 'a and b own 6 partitions each')
    const c = await member('c', spec)
    await untilSplit([a, b, c], 'a, b and c own 4 partitions each')

    // a went 12 -> 6 -> 4 and b 6 -> 4: exactly the partitions that moved were revoked, never all at once.
    const revokedBy = (m: TestMember) => m.listener.of('revoked').flatMap((e) => e.partitions)
    expect(revokedBy(a)).toHaveLength(8)
    expect(revokedBy(b)).toHaveLength(2)
    expect(revokedBy(c)).toEqual([])
    for (const m of [a, b]) {
      for (const name of revokedBy(m)) expect(m.listener.owned.has(name)).toBe(false)
      for (const event of m.listener.of('revoked')) expect(event.partitions.length).toBeLessThan(PARTITIONS)
    }
    for (const m of [a, b, c]) expect(m.listener.of('lost')).toEqual([])
    const keptByA = [...a.listener.owned]

    // The partitions of a member that leaves go to the others without revoking anything.
    await stopMember(c)
    await untilSplit([a, b], 'a and b take over the partitions of c')
    expect(revokedBy(a)).toHaveLength(8)
    expect(revokedBy(b)).toHaveLength(2)
    for (const name of keptByA) expect(a.listener.owned.has(name)).toBe(true)
  })

  it('a static member restarting within its session timeout gets its partitions back, without a rebalance', async () => {
    const topic = await newTopic()
    const groupId = uniqueTopic('g')
    const spec = (instance: string) => ({
      groupId,
      topics: [topic],
      assignors: [new RangeAssignor()],
      groupInstanceId: instance,
      sessionTimeoutMs: 30_000,
    })
    const a = await member('a', spec('instance-a'))
    const b = await member('b', spec('instance-b'))
    await untilSplit([a, b], 'a and b own 6 partitions each')
    const ownedByA = [...a.listener.owned].sort()
    const generation = b.membership.groupMetadata.generationId
    const bJoins = b.joins()
    const bEvents = b.listener.events.length

    // A static member's close sends no LeaveGroup: the group keeps its place.
    await stopMember(a)
    const restarted = await member('a2', spec('instance-a'))
    await restarted.membership.whenStable()
    await waitFor('the restarted member owns its partitions again', () =>
      restarted.listener.owned.size === ownedByA.length ? true : undefined,
    )
    expect([...restarted.listener.owned].sort()).toEqual(ownedByA)
    // Heartbeats go on for a few rounds: the group stays in the same generation and b never rejoined.
    const beats = b.heartbeats()
    await waitFor('b has heartbeated five more times', () => (b.heartbeats() >= beats + 5 ? true : undefined))
    expect(b.membership.groupMetadata.generationId).toBe(generation)
    expect(restarted.membership.groupMetadata.generationId).toBe(generation)
    expect(b.joins()).toBe(bJoins)
    expect(b.listener.events).toHaveLength(bEvents)
  })

  it('a slow application (no poll for longer than the session timeout) keeps its membership: heartbeats go on', async () => {
    const topic = await newTopic()
    const spec = {
      groupId: uniqueTopic('g'),
      topics: [topic],
      assignors: [new RangeAssignor()],
      sessionTimeoutMs: 1000,
      heartbeatIntervalMs: 200,
      maxPollIntervalMs: 120_000,
      rebalanceTimeoutMs: 120_000,
    }
    const a = await member('a', spec)
    const b = await member('b', spec)
    await untilSplit([a, b], 'a and b own 6 partitions each')
    const generation = a.membership.groupMetadata.generationId
    const started = performance.now()
    const beats = a.heartbeats()
    // Neither member polls; wait until three session timeouts have passed, counted in answered heartbeats.
    await waitFor('three session timeouts of heartbeats', () =>
      a.heartbeats() >= beats + 15 && performance.now() - started > 3 * spec.sessionTimeoutMs ? true : undefined,
    )
    expect(a.membership.groupMetadata.generationId).toBe(generation)
    expect(b.membership.groupMetadata.generationId).toBe(generation)
    expect(splitEvenly([a, b], PARTITIONS)).toBe(true)
  })

  it('a member that does not poll within maxPollIntervalMs leaves; others take its partitions; it rejoins on its next poll', async () => {
    const topic = await newTopic()
    const groupId = uniqueTopic('g')
    const base = { groupId, topics: [topic], assignors: [new RangeAssignor()] }
    const b = await member('b', base)
    await untilSplit([b], 'b owns every partition')
    const a = await member('a', { ...base, maxPollIntervalMs: 4000, rebalanceTimeoutMs: 4000 })
    await waitFor('a was assigned partitions', () => (a.listener.owned.size > 0 ? true : undefined))
    const ownedByA = [...a.listener.owned].sort()
    await waitFor('b took over every partition after a left', () =>
      b.listener.owned.size === PARTITIONS && a.membership.memberState === 'unjoined' ? true : undefined,
    )
    a.membership.recordPoll()
    await untilSplit([a, b], 'a rejoined and the partitions are split again')
    // As Java: the partitions of the generation it left are lost, not revoked (they may already be b's).
    expect(a.listener.of('lost')[0]?.partitions).toEqual(ownedByA)
  })

  it('the leader rebalances when a subscribed topic gains partitions', async () => {
    const topic = await newTopic()
    const spec = { groupId: uniqueTopic('g'), topics: [topic], assignors: [new RangeAssignor()] }
    const a = await member('a', spec)
    const b = await member('b', spec)
    await untilSplit([a, b], 'a and b own 6 partitions each')
    const admin = new KafkaClient({ brokers: cluster?.bootstrapServers ?? [] })
    try {
      const response = await admin.cluster.requestAny('CreatePartitions', {
        topics: [{ name: topic, count: 16, assignments: null }],
        timeoutMs: 10_000,
        validateOnly: false,
      })
      expect(response.results[0]?.errorCode).toBe(0)
    } finally {
      await admin.close()
    }
    // The consumer's periodic metadata refresh (metadataMaxAgeMs) would bring the news; here it comes at
    // once, again until the brokers' metadata shows the new partitions.
    await waitFor('a and b own 8 partitions each', async () => {
      if (splitEvenly([a, b], 16)) return true
      for (const m of [a, b]) await m.client.cluster.refreshMetadata({ topics: [topic] })
      return undefined
    })
  })

  it('a subscription change rejoins; a cooperative member revokes only the partitions of topics it dropped', async () => {
    const [t1, t2] = [await newTopic(), await newTopic()]
    const a = await member('a', {
      groupId: uniqueTopic('g'),
      topics: [t1],
      assignors: [new CooperativeStickyAssignor()],
    })
    await untilSplit([a], 'a owns every partition of the first topic')
    a.membership.updateSubscription([t1, t2])
    await waitFor('a owns both topics', () => (a.listener.owned.size === 2 * PARTITIONS ? true : undefined))
    expect(a.listener.of('revoked')).toEqual([])
    a.membership.updateSubscription([t2])
    await waitFor('a owns the second topic only', () =>
      a.listener.owned.size === PARTITIONS && [...a.listener.owned].every((name) => name.startsWith(`${t2}-`))
        ? true
        : undefined,
    )
    const revoked = a.listener.of('revoked').flatMap((e) => e.partitions)
    expect(revoked).toHaveLength(PARTITIONS)
    expect(revoked.every((name) => name.startsWith(`${t1}-`))).toBe(true)
    await a.membership.whenStable()
  })

  it('a member whose assignors the group does not use fails with InconsistentGroupProtocolError', async () => {
    const topic = await newTopic()
    const groupId = uniqueTopic('g')
    const a = await member('a', { groupId, topics: [topic], assignors: [new RangeAssignor()] })
    await a.membership.whenStable()
    const odd = await member('odd', { groupId, topics: [topic], assignors: [new RoundRobinAssignor()] })
    await expect(odd.membership.whenStable()).rejects.toBeInstanceOf(InconsistentGroupProtocolError)
    expect(odd.listener.events).toEqual([])
    expect(a.membership.groupMetadata.generationId).toBe(1)
  })
})
