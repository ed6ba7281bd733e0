// Consumer groups end to end with kafka.consumer() (fetching, processing, committing) on every
// broker target: a mixed kafkit + Java cooperative-sticky group, two groups on one topic, static
// membership, slow handlers and a KIP-848 group.
import { setTimeout as delay } from 'node:timers/promises'
import type { EmbeddedKafka } from '@kafkit/testkit'
import {
  type EachMessagePayload,
  Kafka,
  KafkaClient,
  KafkitConsumer,
  type KafkitConsumerOptions,
  type KafkitProducer,
  logLevel,
} from 'kafkit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { javaReferenceAvailability } from '../reference/java-build.js'
import { type JavaGroupConsumer, startJavaGroupConsumer } from '../reference/java-group-consumer.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic } from './support/topics.js'
import { waitFor } from './support/wait-for.js'

// Short sessions for the slow-handler case (real Kafka refuses under 6 s by default) and short
// KIP-848 heartbeats (Kafka's default 5 s would make each reconciliation step take seconds).
const BROKER_CONFIG = {
  'group.min.session.timeout.ms': '500',
  'group.consumer.min.heartbeat.interval.ms': '500',
  'group.consumer.heartbeat.interval.ms': '500',
}
const { cluster, skipReason } = await useTestCluster({ brokerConfig: BROKER_CONFIG })
if (cluster?.target === 'embedded') {
  // The embedded broker takes the KIP-848 settings as dynamic cluster-wide broker configs.
  ;(cluster as unknown as EmbeddedKafka).control.state.brokerConfigs.set('', new Map(Object.entries(BROKER_CONFIG)))
}
const java = await javaReferenceAvailability()
if (!java.available) console.warn(`the mixed kafkit + Java group case is skipped: ${java.reason}`)
const PARTITIONS = 12
const brokers = () => cluster?.bootstrapServers ?? []

type RebalanceKind = 'assigned' | 'revoked' | 'lost'
interface RebalanceEvent {
  member: string
  kind: RebalanceKind
  partitions: number[]
  /** Partitions the member owned just before the callback. */
  ownedBefore: number
  /** Whether the member was being stopped (a close revokes everything, as Java's). */
  closing: boolean
}

/** Every member's rebalance callbacks in the order they happened, and ownership overlaps seen. */
class GroupLog {
  readonly events: RebalanceEvent[] = []
  readonly owners = new Map<number, string>()
  readonly overlaps: string[] = []

  record(member: string, kind: RebalanceKind, partitions: number[], ownedBefore: number, closing: boolean): void {
    this.events.push({ member, kind, partitions, ownedBefore, closing })
    for (const p of partitions) {
      if (kind === 'assigned') {
        const owner = this.owners.get(p)
        if (owner !== undefined && owner !== member)
          this.overlaps.push(`${p} assigned to ${member} while ${owner} owns it`)
        this.owners.set(p, member)
      } else if (this.owners.get(p) === member) this.owners.delete(p)
    }
  }

  of(member: string, kind?: RebalanceKind): RebalanceEvent[] {
    return this.events.filter((e) => e.member === member && (kind === undefined || e.kind === kind))
  }
}

interface Member {
  name: string
  consumer: KafkitConsumer
  client: KafkaClient
  owned: Set<number>
  /** `partition:offset` of every record its handler finished, in order. */
  processed: string[]
  heartbeats(): number
  joins(): number
  stop(): Promise<void>
}

let members: Member[] = []
let javaMembers: JavaGroupConsumer[] = []
let kafka: Kafka
let admin: KafkaClient
beforeAll(async () => {
  if (!cluster) return
  kafka = new Kafka({ clientId: 'consumer-groups', brokers: brokers(), logLevel: logLevel.NOTHING })
  admin = new KafkaClient({ brokers: brokers() })
  await admin.connect()
})
afterAll(async () => {
  await admin?.close()
})
afterEach(async () => {
  for (const j of javaMembers) j.kill()
  javaMembers = []
  await Promise.allSettled(members.map((m) => m.stop()))
  members = []
})

async function newTopic(): Promise<string> {
  const topic = uniqueTopic('groups')
  await createTopic(admin, topic, PARTITIONS)
  return topic
}

interface MemberOptions extends Omit<KafkitConsumerOptions, 'rebalanceListener'> {
  topic: string
  log?: GroupLog
  handler?: (payload: EachMessagePayload<Buffer | null, Buffer | null>) => Promise<void>
}

/** A kafka.consumer()-shaped consumer on its own client (so the test can count its heartbeats), running eachMessage. */
async function startMember(name: string, { topic, log = new GroupLog(), handler, ...options }: MemberOptions) {
  const client = new KafkaClient({ brokers: brokers(), clientId: name })
  let heartbeats = 0
  let joins = 0
  client.on('response', (event) => {
    if (event.api === 'Heartbeat' || event.api === 'ConsumerGroupHeartbeat') heartbeats++
  })
  client.on('request', (event) => {
    if (event.api === 'JoinGroup') joins++
  })
  const owned = new Set<number>()
  let closing = false
  const record = (kind: RebalanceKind, partitions: readonly { partition: number }[]) => {
    const list = partitions.map((tp) => tp.partition).sort((a, b) => a - b)
    log.record(name, kind, list, owned.size, closing)
    for (const p of list) {
      if (kind === 'assigned') owned.add(p)
      else owned.delete(p)
    }
  }
  const consumer = new KafkitConsumer(client, {
    autoOffsetReset: 'earliest',
    maxWaitMs: 100,
    heartbeatIntervalMs: 500,
    sessionTimeoutMs: 10_000,
    autoCommitIntervalMs: 500,
    ...options,
    rebalanceListener: {
      onPartitionsAssigned: (partitions) => record('assigned', partitions),
      onPartitionsRevoked: (partitions) => record('revoked', partitions),
      onPartitionsLost: (partitions) => record('lost', partitions),
    },
  })
  const processed: string[] = []
  await consumer.connect()
  consumer.subscribe({ topic })
  await consumer.run({
    eachMessage: async (payload) => {
      await handler?.(payload)
      processed.push(`${payload.partition}:${payload.message.offset}`)
    },
  })
  const member: Member = {
    name,
    consumer,
    client,
    owned,
    processed,
    heartbeats: () => heartbeats,
    joins: () => joins,
    async stop() {
      members = members.filter((m) => m !== member)
      closing = true
      await consumer.disconnect()
    },
  }
  members.push(member)
  return member
}

/** Each owner holds the same number of partitions (±1), none twice, all of them. */
function splitEvenly(owners: ReadonlySet<number>[]): boolean {
  const all = owners.flatMap((o) => [...o])
  if (all.length !== PARTITIONS || new Set(all).size !== PARTITIONS) return false
  const sizes = owners.map((o) => o.size)
  return Math.max(...sizes) - Math.min(...sizes) <= 1
}

const untilSplit = (owners: ReadonlySet<number>[], description: string) =>
  waitFor(description, () => (splitEvenly(owners) ? true : undefined), { timeoutMs: 60_000 }).catch((error: Error) => {
    throw new Error(`${error.message}; owned: ${owners.map((o) => `[${[...o].sort((a, b) => a - b)}]`).join(' ')}`)
  })

/** Produces one record to every partition per round, until stopped; remembers the offsets. */
function produceContinuously(producer: KafkitProducer, topic: string) {
  const last = new Map<number, bigint>()
  let running = true
  let rounds = 0
  const done = (async () => {
    while (running) {
      const sent = await producer.send({
        topic,
        messages: Array.from({ length: PARTITIONS }, (_, partition) => ({
          partition,
          value: `r${rounds}-p${partition}`,
        })),
      })
      for (const m of sent) if ((last.get(m.partition) ?? -1n) < m.offset) last.set(m.partition, m.offset)
      rounds++
      await delay(50) // pacing, not waiting for anything
    }
  })()
  return {
    last,
    rounds: () => rounds,
    async stop() {
      running = false
      await done
    },
  }
}

/** `partition:offset` of every offset the producer wrote that no member processed. */
function missing(last: ReadonlyMap<number, bigint>, processed: Iterable<string>): string[] {
  const seen = new Set(processed)
  const out: string[] = []
  for (const [p, end] of last) for (let o = 0n; o <= end; o++) if (!seen.has(`${p}:${o}`)) out.push(`${p}:${o}`)
  return out
}

async function sendToEveryPartition(topic: string, perPartition: number): Promise<void> {
  const producer = kafka.producer({ lingerMs: 0 })
  await producer.connect()
  try {
    await producer.send({
      topic,
      messages: Array.from({ length: PARTITIONS * perPartition }, (_, i) => ({
        partition: i % PARTITIONS,
        value: `v${i}`,
      })),
    })
  } finally {
    await producer.disconnect()
  }
}

describe.skipIf(skipReason !== undefined)(
  `consumer groups with kafka.consumer() on the ${cluster?.target} target`,
  () => {
    it.skipIf(!java.available)(
      'three kafkit consumers and a Java consumer share a cooperative-sticky group: incremental rebalances, nothing lost',
      async () => {
        const topic = await newTopic()
        const groupId = uniqueTopic('mixed')
        const log = new GroupLog()
        const producer = kafka.producer({ lingerMs: 0 })
        await producer.connect()
        const production = produceContinuously(producer, topic)
        try {
          const spec = { topic, groupId, log, partitionAssigners: ['cooperative-sticky' as const] }
          const k1 = await startMember('k1', spec)
          await untilSplit([k1.owned], 'k1 owns every partition')
          const k2 = await startMember('k2', spec)
          await untilSplit([k1.owned, k2.owned], 'k1 and k2 own 6 partitions each')
          const k3 = await startMember('k3', spec)
          await untilSplit([k1.owned, k2.owned, k3.owned], 'k1, k2 and k3 own 4 partitions each')

          // The Java member's callbacks enter the log as its lines arrive.
          let javaClosing = false
          const j = startJavaGroupConsumer({
            bootstrap: brokers(),
            groupId,
            topic,
            properties: { 'heartbeat.interval.ms': '500', 'session.timeout.ms': '10000' },
            onRebalance: (e, ownedBefore) => log.record('java', e.kind, e.partitions, ownedBefore, javaClosing),
          })
          javaMembers.push(j)
          await waitFor(
            'k1, k2, k3 and the Java member own 3 partitions each',
            () => (splitEvenly([k1.owned, k2.owned, k3.owned, j.owned]) ? true : undefined),
            { timeoutMs: 90_000 },
          ).catch((error: Error) => {
            throw new Error(`${error.message}; Java: ${j.failure()}`)
          })
          await waitFor('the Java member processed records', () => (j.records.length > 0 ? true : undefined))

          await k2.stop()
          await untilSplit(
            [k1.owned, k3.owned, j.owned],
            'k1, k3 and the Java member take over the partitions of k2',
          ).catch((error: Error) => {
            throw new Error(`${error.message}\nrebalances: ${JSON.stringify(log.events)}\nJava: ${j.failure()}`)
          })
          javaClosing = true
          await j.stop()
          await untilSplit([k1.owned, k3.owned], 'k1 and k3 take over the partitions of the Java member')
          await production.stop()
          expect(production.rounds()).toBeGreaterThan(0)

          const processedByAll = () => [
            ...k1.processed,
            ...k2.processed,
            ...k3.processed,
            ...j.records.map((r) => `${r.partition}:${r.offset}`),
          ]
          await waitFor('every produced record was processed by some member', () =>
            missing(production.last, processedByAll()).length === 0 ? true : undefined,
          ).catch((error: Error) => {
            throw new Error(`${error.message}; missing ${missing(production.last, processedByAll()).slice(0, 20)}`)
          })
          expect(missing(production.last, processedByAll())).toEqual([])

          // Incremental: a member that stays in the group gives up only the partitions that move, never all it owns,
          // and every partition revoked goes to another member afterwards.
          const rebalancing = log.events.filter((e) => !e.closing)
          for (const [i, e] of rebalancing.entries()) {
            if (e.kind === 'lost') throw new Error(`${e.member} lost ${e.partitions} during a rebalance`)
            if (e.kind !== 'revoked') continue
            expect(e.partitions.length, `${e.member} revoked ${e.partitions} of ${e.ownedBefore}`).toBeLessThan(
              e.ownedBefore,
            )
            for (const p of e.partitions) {
              const next = rebalancing
                .slice(i + 1)
                .find((later) => later.kind === 'assigned' && later.partitions.includes(p))
              expect(next?.member, `partition ${p} revoked from ${e.member}`).toBeDefined()
              expect(next?.member).not.toBe(e.member)
            }
          }
          // k1 went 12 -> 6 -> 4 -> 3 and then only gained: it revoked exactly the 9 partitions that moved.
          expect(log.of('k1', 'revoked').flatMap((e) => e.partitions)).toHaveLength(9)
          expect(log.of('k3', 'revoked').flatMap((e) => e.partitions)).toHaveLength(1)
          expect(log.overlaps).toEqual([])
          expect([...k1.owned].filter((p) => k3.owned.has(p))).toEqual([])
          expect(k1.owned.size + k3.owned.size).toBe(PARTITIONS)
        } finally {
          await production.stop()
          await producer.disconnect()
        }
      },
      240_000,
    )

    it('two consumers of one group split the partitions; a consumer of another group sees every record', async () => {
      const topic = await newTopic()
      const shared = uniqueTopic('shared')
      const a = await startMember('a', { topic, groupId: shared })
      const b = await startMember('b', { topic, groupId: shared })
      const c = await startMember('c', { topic, groupId: uniqueTopic('alone') })
      await untilSplit([a.owned, b.owned], 'a and b own 6 partitions each')
      await untilSplit([c.owned], 'c owns every partition')
      // Produced once the groups are settled: otherwise the first member may read everything before the second joins.
      await sendToEveryPartition(topic, 5)
      const all = new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, 4n] as const))
      await waitFor('c processed every record', () => (missing(all, c.processed).length === 0 ? true : undefined))
      await waitFor('a and b processed every record between them', () =>
        missing(all, [...a.processed, ...b.processed]).length === 0 ? true : undefined,
      )
      expect(c.processed).toHaveLength(PARTITIONS * 5)
      // Each of a and b processed only the partitions it owns: nothing processed twice.
      expect(new Set([...a.processed, ...b.processed]).size).toBe(PARTITIONS * 5)
      expect(a.processed.length).toBeGreaterThan(0)
      expect(b.processed.length).toBeGreaterThan(0)
    })

    it('a static member restarting within its session timeout causes no rebalance: the other member sees no callbacks', async () => {
      const topic = await newTopic()
      const groupId = uniqueTopic('static')
      const log = new GroupLog()
      const spec = (instance: string) => ({ topic, groupId, log, groupInstanceId: instance, sessionTimeoutMs: 30_000 })
      const a = await startMember('a', spec('instance-a'))
      const b = await startMember('b', spec('instance-b'))
      await untilSplit([a.owned, b.owned], 'a and b own 6 partitions each')
      const ownedByA = [...a.owned].sort((x, y) => x - y)
      const bEvents = log.of('b').length
      const bJoins = b.joins()

      // A static member's close sends no LeaveGroup: the coordinator keeps its place for the session timeout.
      await a.stop()
      const restarted = await startMember('a2', spec('instance-a'))
      await waitFor('the restarted member owns the partitions of a', () =>
        restarted.owned.size === ownedByA.length ? true : undefined,
      )
      expect([...restarted.owned].sort((x, y) => x - y)).toEqual(ownedByA)
      // Records produced now are read by both; b heartbeats several more times meanwhile, and a rebalance would
      // have reached it through one of them.
      await sendToEveryPartition(topic, 1)
      const beats = b.heartbeats()
      await waitFor('both members read the new records and b heartbeated 5 more times', () =>
        restarted.processed.length === ownedByA.length &&
        b.processed.length === PARTITIONS - ownedByA.length &&
        b.heartbeats() >= beats + 5
          ? true
          : undefined,
      )
      expect(log.of('b')).toHaveLength(bEvents)
      expect(b.joins()).toBe(bJoins)
      expect(log.of('a2').map((e) => e.kind)).toEqual(['assigned'])
    })

    it('a handler slower than the session timeout keeps the membership: no revocation, nothing processed twice', async () => {
      const topic = await newTopic()
      const groupId = uniqueTopic('slow')
      const log = new GroupLog()
      const sessionTimeoutMs = 1500
      const spec = { topic, groupId, log, sessionTimeoutMs, heartbeatIntervalMs: 300 }
      let slowCalls = 0
      let beatsDuringSlowCall = -1
      const a: Member = await startMember('a', {
        ...spec,
        handler: async () => {
          if (slowCalls++ > 0) return
          // The first message takes three session timeouts: the application is slow, heartbeats must go on.
          const before = a.heartbeats()
          await delay(3 * sessionTimeoutMs)
          beatsDuringSlowCall = a.heartbeats() - before
        },
      })
      const b = await startMember('b', spec)
      await untilSplit([a.owned, b.owned], 'a and b own 6 partitions each')
      const events = log.events.length
      const joins = [a.joins(), b.joins()]
      await sendToEveryPartition(topic, 3)
      await waitFor(
        'every record was processed',
        () => (a.processed.length + b.processed.length >= PARTITIONS * 3 ? true : undefined),
        { timeoutMs: 30_000 },
      )
      expect(slowCalls).toBeGreaterThan(0)
      // One every 300 ms for 4.5 s; at least a few, whatever the timers' jitter.
      expect(beatsDuringSlowCall).toBeGreaterThanOrEqual(5)
      expect(a.processed).toHaveLength(a.owned.size * 3)
      expect(b.processed).toHaveLength(b.owned.size * 3)
      expect(new Set([...a.processed, ...b.processed]).size).toBe(PARTITIONS * 3)
      expect(log.events.slice(events)).toEqual([])
      expect([a.joins(), b.joins()]).toEqual(joins)
    })

    it('a KIP-848 group (groupProtocol consumer) of two consumers splits the partitions and consumes everything', async () => {
      const topic = await newTopic()
      await sendToEveryPartition(topic, 4)
      const groupId = uniqueTopic('kip848')
      const log = new GroupLog()
      const spec = { topic, groupId, log, groupProtocol: 'consumer' as const }
      const a = await startMember('a', spec)
      const b = await startMember('b', spec)
      await untilSplit([a.owned, b.owned], 'a and b own 6 partitions each')
      const all = new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, 3n] as const))
      await waitFor('a and b processed every record between them', () =>
        missing(all, [...a.processed, ...b.processed]).length === 0 ? true : undefined,
      )
      await sendToEveryPartition(topic, 1)
      const more = new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, 4n] as const))
      await waitFor('records produced after the split are processed by their owner', () =>
        missing(more, [...a.processed, ...b.processed]).length === 0 ? true : undefined,
      )
      expect(a.processed.some((r) => r.endsWith(':4'))).toBe(true)
      expect(b.processed.some((r) => r.endsWith(':4'))).toBe(true)
      for (const m of [a, b]) {
        for (const r of m.processed.filter((x) => x.endsWith(':4')))
          expect(m.owned.has(Number(r.split(':')[0]))).toBe(true)
      }
      expect(log.overlaps).toEqual([])
      expect(log.events.filter((e) => e.kind === 'lost')).toEqual([])
      // The group ran on the KIP-848 protocol: ConsumerGroupHeartbeat only, no JoinGroup.
      for (const m of [a, b]) {
        expect(m.joins()).toBe(0)
        expect(m.heartbeats()).toBeGreaterThan(0)
      }
    })
  },
)
