import { KafkaClient } from '@kafkit/client'
import { InvalidMessageError } from '@kafkit/protocol'
import { type EmbeddedKafka, startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/integration/support/wait-for.js'
import { ConsumerProtocolMembership } from '../src/group/consumer-protocol/index.js'
import { type KipTestMember, OwnershipLedger, splitEvenly, startKipMember } from './consumer-protocol-support.js'

const PARTITIONS = 12
let kafka: EmbeddedKafka
let count = 0
let started: KipTestMember[] = []

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ security: false })
  // Kafka's 5 s heartbeat would make every rebalance take seconds; the coordinator tells members the interval.
  kafka.control.state.brokerConfigs.set('', new Map([['group.consumer.heartbeat.interval.ms', '100']]))
})
afterAll(async () => {
  await kafka?.stop()
})
afterEach(async () => {
  await Promise.all(started.map((m) => m.stop()))
  started = []
})

function fresh(partitions = PARTITIONS): { topic: string; groupId: string } {
  const topic = `kip848-${count++}`
  kafka.control.state.createTopic(topic, partitions, 1, new Map())
  return { topic, groupId: `group-${topic}` }
}

async function member(name: string, spec: Parameters<typeof startKipMember>[2], ledger: OwnershipLedger) {
  const m = await startKipMember(kafka.bootstrapServers, name, spec, ledger)
  started.push(m)
  return m
}

async function stop(m: KipTestMember) {
  started = started.filter((other) => other !== m)
  await m.stop()
}

const untilSplit = (members: KipTestMember[], what: string) =>
  waitFor(what, () => (splitEvenly(members, PARTITIONS) ? true : undefined), { timeoutMs: 30_000 })

describe('a KIP-848 consumer group member', () => {
  it('two, then three members split a 12-partition topic, never two owning a partition at once', async () => {
    const { topic, groupId } = fresh()
    const ledger = new OwnershipLedger()
    const a = await member('a', { groupId, topics: [topic] }, ledger)
    await a.membership.whenStable()
    await untilSplit([a], 'a owns all 12')
    expect(a.membership.groupMetadata.generationId).toBe(1)
    const b = await member('b', { groupId, topics: [topic] }, ledger)
    await untilSplit([a, b], 'a and b own 6 each')
    const c = await member('c', { groupId, topics: [topic] }, ledger)
    await untilSplit([a, b, c], 'a, b and c own 4 each')
    expect(ledger.overlaps).toEqual([])
    // a gave partitions up twice, each time by revocation (it was never fenced).
    expect(a.listener.events.filter((e) => e.kind === 'revoked')).toHaveLength(2)
    expect(a.listener.events.some((e) => e.kind === 'lost')).toBe(false)
  })

  it('a leaving member revokes before leaving, and the others take its partitions', async () => {
    const { topic, groupId } = fresh()
    const ledger = new OwnershipLedger()
    const [a, b, c] = [
      await member('a', { groupId, topics: [topic] }, ledger),
      await member('b', { groupId, topics: [topic] }, ledger),
      await member('c', { groupId, topics: [topic] }, ledger),
    ]
    await untilSplit([a, b, c], 'three members own 4 each')
    await stop(c)
    expect(c.listener.owned.size).toBe(0)
    expect(c.listener.events.at(-1)?.kind).toBe('revoked')
    await untilSplit([a, b], 'a and b own 6 each after c left')
    expect(ledger.overlaps).toEqual([])
  })

  it('a newcomer waits for a slow revocation: the partition moves only once its owner let go', async () => {
    const { topic, groupId } = fresh()
    const ledger = new OwnershipLedger()
    let slow = false
    let releaseRevocation: (() => void) | undefined
    const a = await member(
      'a',
      {
        groupId,
        topics: [topic],
        beforeRevoke: () =>
          slow
            ? new Promise<void>((resolve) => {
                releaseRevocation = resolve
              })
            : Promise.resolve(),
      },
      ledger,
    )
    await untilSplit([a], 'a owns all 12')
    slow = true
    const b = await member('b', { groupId, topics: [topic] }, ledger)
    await b.membership.whenStable()
    // b is in the group at the new epoch, but a's partitions are still a's: b owns none yet.
    const release = await waitFor('a is revoking', () => releaseRevocation)
    // Heartbeats go on while a's listener commits: b keeps waiting for the partitions, a is not fenced.
    let heartbeats = 0
    b.client.on('response', (event) => {
      if (event.api === 'ConsumerGroupHeartbeat') heartbeats++
    })
    await waitFor('b heartbeats a few times', () => (heartbeats >= 5 ? true : undefined))
    expect(b.listener.owned.size).toBe(0)
    expect(a.listener.events.some((e) => e.kind === 'lost')).toBe(false)
    slow = false
    release()
    await untilSplit([a, b], 'a and b own 6 each')
    expect(ledger.overlaps).toEqual([])
    const bFirst = ledger.timeline.findIndex((e) => e.startsWith('b +'))
    const aLast = ledger.timeline.findLastIndex((e) => e.startsWith('a -'))
    expect(aLast).toBeLessThan(bFirst)
  })

  it('takes the partitions of a topic added to its subscription', async () => {
    const { topic, groupId } = fresh()
    const second = fresh(3).topic
    const ledger = new OwnershipLedger()
    const a = await member('a', { groupId, topics: [topic] }, ledger)
    await untilSplit([a], 'a owns all 12')
    a.membership.updateSubscription([topic, second])
    await waitFor('a owns the second topic too', () =>
      a.membership.memberState === 'stable' && a.listener.owned.size === PARTITIONS + 3 ? true : undefined,
    )
    expect(a.membership.assignment.filter((tp) => tp.topic === second)).toHaveLength(3)
  })

  it('uses the range assignor when asked', async () => {
    const { topic, groupId } = fresh()
    const ledger = new OwnershipLedger()
    const a = await member('a', { groupId, topics: [topic], serverAssignor: 'range' }, ledger)
    const b = await member('b', { groupId, topics: [topic], serverAssignor: 'range' }, ledger)
    await untilSplit([a, b], 'range split')
    // Ranges: each member owns six consecutive partitions.
    for (const m of [a, b]) {
      const partitions = m.membership.assignment.map((tp) => tp.partition)
      expect(partitions.at(-1)! - partitions[0]!).toBe(5)
    }
  })

  it('subscribes with a regex the broker resolves', async () => {
    const { topic, groupId } = fresh()
    const ledger = new OwnershipLedger()
    const a = await member('a', { groupId, topics: [], subscribedTopicRegex: `${topic}|nothing-else` }, ledger)
    await untilSplit([a], 'a owns the matching topic')
  })

  it('loses its partitions when fenced and rejoins at a new epoch', async () => {
    const { topic, groupId } = fresh()
    const ledger = new OwnershipLedger()
    const a = await member('a', { groupId, topics: [topic] }, ledger)
    await untilSplit([a], 'a owns all 12')
    const before = a.membership.groupMetadata.generationId
    // The coordinator forgets the member, as a session expiry would.
    kafka.control.intercept('ConsumerGroupHeartbeat', { once: true }, () => ({ errorCode: 'FENCED_MEMBER_EPOCH' }))
    await waitFor('a lost its partitions', () => (a.listener.events.some((e) => e.kind === 'lost') ? true : undefined))
    await untilSplit([a], 'a owns all 12 again')
    expect(a.membership.groupMetadata.generationId).toBeGreaterThanOrEqual(before)
  })

  it('leaves when the application stops polling and rejoins on its next poll', async () => {
    const { topic, groupId } = fresh()
    const ledger = new OwnershipLedger()
    const a = await member('a', { groupId, topics: [topic], maxPollIntervalMs: 300 }, ledger)
    await untilSplit([a], 'a owns all 12')
    await waitFor('a went stale', () => (a.membership.memberState === 'stale' ? true : undefined))
    expect(a.listener.owned.size).toBe(0)
    expect(a.membership.groupMetadata.generationId).toBe(-1)
    a.membership.recordPoll()
    await a.membership.whenStable()
    expect(a.listener.owned.size).toBe(12)
  })

  it('a static member leaving keeps its partitions for its successor', async () => {
    const { topic, groupId } = fresh()
    const ledger = new OwnershipLedger()
    const spec = { groupId, topics: [topic], groupInstanceId: 'static-a' }
    const a = await member('a', spec, ledger)
    const b = await member('b', { groupId, topics: [topic] }, ledger)
    await untilSplit([a, b], 'a and b own 6 each')
    const aOwned = [...a.listener.owned].sort()
    await stop(a)
    const again = await member('a2', spec, ledger)
    await again.membership.whenStable()
    expect([...again.listener.owned].sort()).toEqual(aOwned)
    expect(b.listener.owned.size).toBe(6)
  })

  it('refuses options that cannot work, saying what to change', async () => {
    await using client = new KafkaClient({ brokers: kafka.bootstrapServers })
    const base = {
      groupId: 'g',
      groupInstanceId: null,
      rebalanceTimeoutMs: 1000,
      maxPollIntervalMs: 1000,
      serverAssignor: null,
      subscribedTopicRegex: null,
      clientRack: null,
      requestTimeoutMs: 1000,
      retryBackoffMs: 100,
      retryBackoffMaxMs: 1000,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    }
    expect(() => new ConsumerProtocolMembership(client, { ...base, groupId: '' })).toThrow(InvalidMessageError)
    expect(
      () => new ConsumerProtocolMembership(client, { ...base, serverAssignor: 'sticky' as unknown as 'range' }),
    ).toThrow(/serverAssignor must be 'uniform' or 'range'/)
  })
})
