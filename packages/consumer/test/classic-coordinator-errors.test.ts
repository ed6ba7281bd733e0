// Classic membership against the embedded broker, with coordinator answers bent through
// control.intercept: what the member sends, and what it does after each group error.
import { AbortedError, KafkaClient } from '@kafkit/client'
import {
  type ApiMessages,
  createCreateTopicsRequest,
  createCreateTopicsRequestCreatableTopic,
  FencedInstanceIdError,
  GroupAuthorizationFailedError,
} from '@kafkit/protocol'
import { type EmbeddedKafka, startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  CooperativeStickyAssignor,
  decodeSubscription,
  encodeSubscription,
  RangeAssignor,
  StickyAssignor,
} from '../src/assignors/index.js'
import { type MemberSpec, splitEvenly, startMember, type TestMember } from './classic-support.js'

const PARTITIONS = 12
let kafka: EmbeddedKafka
let admin: KafkaClient
let count = 0
let started: TestMember[] = []

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ security: false })
  admin = new KafkaClient({ brokers: kafka.bootstrapServers })
  await admin.connect()
})

afterEach(async () => {
  kafka.control.clearInterceptors()
  await Promise.all(started.map((m) => m.stop()))
  started = []
})

afterAll(async () => {
  await admin?.close()
  await kafka?.stop()
})

async function newTopic(): Promise<string> {
  const name = `classic-errors-${count++}`
  const response = await admin.cluster.requestAny(
    'CreateTopics',
    createCreateTopicsRequest({
      topics: [createCreateTopicsRequestCreatableTopic({ name, numPartitions: PARTITIONS, replicationFactor: 1 })],
      timeoutMs: 10_000,
    }),
  )
  expect(response.topics[0]?.errorCode).toBe(0)
  return name
}

async function member(name: string, spec: Omit<MemberSpec, 'groupId'> & { groupId?: string }): Promise<TestMember> {
  const m = await startMember(kafka.bootstrapServers, name, { groupId: `group-${count++}`, ...spec })
  started.push(m)
  return m
}

/** Polls `check` every 20 ms until it holds, failing after 20 s with `description`. */
async function until(description: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Records the requests of one API the broker receives from now on. */
function observe<N extends 'JoinGroup' | 'Heartbeat' | 'LeaveGroup' | 'FindCoordinator' | 'SyncGroup'>(
  api: N,
): ApiMessages[N]['request'][] {
  const seen: ApiMessages[N]['request'][] = []
  kafka.control.intercept(api, {}, (request) => {
    seen.push(request)
  })
  return seen
}

describe('what a classic member sends', () => {
  it('joins with one protocol per assignor whose metadata is ConsumerProtocol subscription v3, after MEMBER_ID_REQUIRED', async () => {
    const topic = await newTopic()
    const joins = observe('JoinGroup')
    const sticky = new StickyAssignor()
    const m = await member('a', { topics: [topic], assignors: [sticky, new RangeAssignor()], clientRack: 'rack-1' })
    await m.membership.whenStable()
    // KIP-394: the first JoinGroup has no member id, the broker hands one out, the second carries it.
    expect(joins.map((j) => j.memberId)).toEqual(['', m.membership.groupMetadata.memberId])
    const first = joins[0]
    expect(first?.protocolType).toBe('consumer')
    expect(first?.protocols.map((p) => p.name)).toEqual(['sticky', 'range'])
    expect(first?.protocols[1]?.metadata).toEqual(
      encodeSubscription({ topics: [topic], userData: null, ownedPartitions: [], generationId: -1, rackId: 'rack-1' }),
    )
    expect(first?.protocols[0]?.metadata).toEqual(
      encodeSubscription({
        topics: [topic],
        userData: sticky.subscriptionUserData(undefined),
        ownedPartitions: [],
        generationId: -1,
        rackId: 'rack-1',
      }),
    )
    expect(first?.protocols[0]?.metadata.readInt16BE(0)).toBe(3)
    expect(first?.rebalanceTimeoutMs).toBe(30_000)
    expect(first?.sessionTimeoutMs).toBe(6000)
  })

  it('a cooperative member rejoins with the partitions it owns and their generation', async () => {
    const topic = await newTopic()
    const groupId = `group-${count++}`
    const spec = { groupId, topics: [topic], assignors: [new CooperativeStickyAssignor()] }
    const a = await member('a', spec)
    await until('a owns every partition', () => splitEvenly([a], PARTITIONS))
    const generation = a.membership.groupMetadata.generationId
    const joins = observe('JoinGroup')
    const b = await member('b', spec)
    await until('a and b split the partitions', () => splitEvenly([a, b], PARTITIONS))
    const rejoin = joins.find((j) => j.memberId === a.membership.groupMetadata.memberId)
    const subscription = decodeSubscription(rejoin?.protocols[0]?.metadata ?? Buffer.alloc(0))
    expect(subscription.ownedPartitions).toHaveLength(PARTITIONS)
    expect(subscription.generationId).toBe(generation)
  })

  it('leave() revokes (awaited) before LeaveGroup, then sends no more heartbeats', async () => {
    const topic = await newTopic()
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()] })
    await until('a owns every partition', () => splitEvenly([m], PARTITIONS))
    const order: string[] = []
    const onRevoked = m.listener.onRevoked.bind(m.listener)
    m.listener.onRevoked = async (partitions) => {
      await new Promise((resolve) => setTimeout(resolve, 50))
      order.push(`revoked ${partitions.length}`)
      await onRevoked(partitions)
    }
    kafka.control.intercept('LeaveGroup', {}, (request) => {
      order.push(`LeaveGroup ${request.members.map((x) => x.memberId).join()}`)
    })
    const memberId = m.membership.groupMetadata.memberId
    const heartbeats = observe('Heartbeat')
    await m.membership.leave()
    expect(order).toEqual([`revoked ${PARTITIONS}`, `LeaveGroup ${memberId}`])
    expect(m.membership.groupMetadata).toMatchObject({ generationId: -1, memberId: '' })
    const sentAtLeave = heartbeats.length
    // A heartbeat still scheduled would go out within two intervals: a member of another group with the same
    // interval counts them out, so the check waits on heartbeats seen rather than on a fixed time.
    const witness = await member('witness', { topics: [topic], assignors: [new RangeAssignor()] })
    await until('the witness heartbeated three times', () => witness.heartbeats() >= 3)
    expect(heartbeats.filter((h) => h.memberId === memberId)).toHaveLength(
      heartbeats.slice(0, sentAtLeave).filter((h) => h.memberId === memberId).length,
    )
    await m.membership.leave()
    expect(order).toHaveLength(2)
  })

  it('leaves no timer behind once left and its client closed', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const before = timers()
    const topic = await newTopic()
    const m = await startMember(kafka.bootstrapServers, 'a', {
      groupId: `group-${count++}`,
      topics: [topic],
      assignors: [new RangeAssignor()],
    })
    await until('a owns every partition', () => splitEvenly([m], PARTITIONS))
    expect(timers()).toBeGreaterThan(before)
    await m.stop()
    expect(timers()).toBeLessThanOrEqual(before)
  })

  it('a static member leaves without LeaveGroup (Java closes static members that way)', async () => {
    const topic = await newTopic()
    const leaves = observe('LeaveGroup')
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()], groupInstanceId: 'static-a' })
    await until('a owns every partition', () => splitEvenly([m], PARTITIONS))
    await m.membership.leave()
    expect(m.listener.of('revoked')[0]?.partitions).toHaveLength(PARTITIONS)
    expect(leaves).toEqual([])
  })

  it('whenStable() rejects with AbortedError when its signal aborts', async () => {
    const topic = await newTopic()
    kafka.control.intercept('JoinGroup', {}, () => ({ delayMs: 500 }))
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()] })
    await expect(m.membership.whenStable(AbortSignal.timeout(100))).rejects.toBeInstanceOf(AbortedError)
  })
})

describe('coordinator errors', () => {
  it('NOT_COORDINATOR on a heartbeat: looks up the coordinator again and stays in the group', async () => {
    const topic = await newTopic()
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()] })
    await until('a owns every partition', () => splitEvenly([m], PARTITIONS))
    const generation = m.membership.groupMetadata.generationId
    const joins = m.joins()
    const lookups = observe('FindCoordinator')
    kafka.control.intercept('Heartbeat', { once: true }, () => ({ errorCode: 'NOT_COORDINATOR' }))
    await until('a looked the coordinator up again', () => lookups.length > 0)
    const beats = m.heartbeats()
    await until('a heartbeats again', () => m.heartbeats() > beats + 2)
    expect(m.membership.groupMetadata.generationId).toBe(generation)
    expect(m.joins()).toBe(joins)
    expect(m.listener.owned.size).toBe(PARTITIONS)
  })

  it('COORDINATOR_NOT_AVAILABLE on JoinGroup: finds the coordinator again and joins', async () => {
    const topic = await newTopic()
    const lookups = observe('FindCoordinator')
    kafka.control.intercept('JoinGroup', { once: true }, () => ({ errorCode: 'COORDINATOR_NOT_AVAILABLE' }))
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()] })
    await m.membership.whenStable()
    expect(lookups.length).toBeGreaterThanOrEqual(2)
    expect(m.listener.owned.size).toBe(PARTITIONS)
  })

  it('REBALANCE_IN_PROGRESS on a heartbeat: an eager member revokes everything and rejoins', async () => {
    const topic = await newTopic()
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()] })
    await until('a owns every partition', () => splitEvenly([m], PARTITIONS))
    const joins = m.joins()
    kafka.control.intercept('Heartbeat', { once: true }, () => ({ errorCode: 'REBALANCE_IN_PROGRESS' }))
    await until('a rejoined', () => m.joins() > joins && splitEvenly([m], PARTITIONS))
    expect(m.listener.of('revoked')[0]?.partitions).toHaveLength(PARTITIONS)
    expect(m.listener.of('lost')).toEqual([])
  })

  it('REBALANCE_IN_PROGRESS on SyncGroup: joins again', async () => {
    const topic = await newTopic()
    const syncs = observe('SyncGroup')
    kafka.control.intercept('SyncGroup', { once: true }, () => ({ errorCode: 'REBALANCE_IN_PROGRESS' }))
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()] })
    await m.membership.whenStable()
    expect(syncs.length).toBeGreaterThanOrEqual(2)
    expect(m.listener.owned.size).toBe(PARTITIONS)
  })

  for (const [code, resetsMemberId] of [
    ['UNKNOWN_MEMBER_ID', true],
    ['ILLEGAL_GENERATION', false],
  ] as const) {
    it(`${code} on a heartbeat: the partitions are lost (onLost, not onRevoked) and the member rejoins`, async () => {
      const topic = await newTopic()
      // The broker still counts the old member in (the error was injected): it waits for its session to end.
      const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()], sessionTimeoutMs: 1000 })
      await until('a owns every partition', () => splitEvenly([m], PARTITIONS))
      const joins = observe('JoinGroup')
      kafka.control.intercept('Heartbeat', { once: true }, () => ({ errorCode: code }))
      await until(
        'a lost its partitions and got them back',
        () => m.listener.of('lost').length > 0 && splitEvenly([m], PARTITIONS),
      )
      expect(m.listener.of('lost')[0]?.partitions).toHaveLength(PARTITIONS)
      expect(m.listener.of('revoked')).toEqual([])
      expect(joins[0]?.memberId === '').toBe(resetsMemberId)
    })
  }

  it('a member whose heartbeats do not reach the coordinator for a session timeout is expired; it loses its partitions and rejoins', async () => {
    const topic = await newTopic()
    const groupId = `group-${count++}`
    const spec = {
      groupId,
      topics: [topic],
      assignors: [new RangeAssignor()],
      sessionTimeoutMs: 600,
      heartbeatIntervalMs: 100,
    }
    const a = await member('a', spec)
    const b = await member('b', spec)
    await until('a and b split the partitions', () => splitEvenly([a, b], PARTITIONS))
    const aId = a.membership.groupMetadata.memberId
    const stopDropping = kafka.control.intercept('Heartbeat', { match: (r) => r.memberId === aId }, () => ({
      drop: true,
    }))
    await until('b owns every partition', () => b.listener.owned.size === PARTITIONS)
    stopDropping()
    await until('a rejoined', () => splitEvenly([a, b], PARTITIONS))
    expect(a.listener.of('lost').length).toBeGreaterThan(0)
  })

  it('FENCED_INSTANCE_ID is fatal: whenStable() rejects with FencedInstanceIdError and leave() reports the partitions lost', async () => {
    const topic = await newTopic()
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()], groupInstanceId: 'fenced' })
    await until('a owns every partition', () => splitEvenly([m], PARTITIONS))
    kafka.control.intercept('Heartbeat', { once: true }, () => ({ errorCode: 'FENCED_INSTANCE_ID' }))
    await until('the membership failed', () => m.membership.memberState === 'unjoined')
    await expect(m.membership.whenStable()).rejects.toBeInstanceOf(FencedInstanceIdError)
    await m.membership.leave()
    expect(m.listener.of('lost')[0]?.partitions).toHaveLength(PARTITIONS)
  })

  it('GROUP_AUTHORIZATION_FAILED on JoinGroup is fatal', async () => {
    const topic = await newTopic()
    kafka.control.intercept('JoinGroup', {}, () => ({ errorCode: 'GROUP_AUTHORIZATION_FAILED' }))
    const m = await member('a', { topics: [topic], assignors: [new RangeAssignor()] })
    await expect(m.membership.whenStable()).rejects.toBeInstanceOf(GroupAuthorizationFailedError)
    expect(m.listener.events).toEqual([])
  })
})
