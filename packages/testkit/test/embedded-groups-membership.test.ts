import { KafkaClient } from '@kafkit/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import { untilAnswered } from '../src/embedded/handlers/group-request.js'
import { eventually, type MemberOptions, subscription, TestMember } from './support/group-member.js'

const MEMBER_ID_REQUIRED = 79
const REBALANCE_IN_PROGRESS = 27
const ILLEGAL_GENERATION = 22
const UNKNOWN_MEMBER_ID = 25
const INCONSISTENT_GROUP_PROTOCOL = 23
const INVALID_SESSION_TIMEOUT = 26
const GROUP_MAX_SIZE_REACHED = 81

let kafka: EmbeddedKafka
let client: KafkaClient
let groupCount = 0

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ security: false })
  client = new KafkaClient({ brokers: kafka.bootstrapServers })
  await client.cluster.connect()
})

afterAll(async () => {
  await client?.close()
  await kafka?.stop()
})

async function member(options: Partial<MemberOptions> & { groupId: string }): Promise<TestMember> {
  const coordinator = await client.cluster.findCoordinator('group', options.groupId)
  return new TestMember(client, { coordinator, ...options })
}

const newGroup = () => `group-${groupCount++}`

/** Heartbeats until the group is rebalancing, as a consumer's heartbeat thread finds out. */
async function untilRebalancing(m: TestMember): Promise<void> {
  await eventually(async () => ((await m.heartbeat()) === REBALANCE_IN_PROGRESS ? true : undefined))
}

/** A newcomer joins a Stable group: its join parks, the current member notices the rebalance and rejoins. */
async function joinAlongside(current: TestMember, newcomer: TestMember) {
  const joining = newcomer.join()
  await untilRebalancing(current)
  const [rejoined, joined] = await Promise.all([current.join(), joining])
  return { rejoined, joined }
}

/** The first member of a group, joined and synced: a Stable group of one. */
async function stableLeader(groupId: string, options: Partial<MemberOptions> = {}): Promise<TestMember> {
  const leader = await member({ groupId, ...options })
  const joined = await leader.join()
  expect(joined.errorCode).toBe(0)
  expect((await leader.sync({ [leader.memberId]: Buffer.from('a0') })).errorCode).toBe(0)
  return leader
}

describe('joining a classic group', () => {
  it('asks a new member to come back with the member id it hands out (v4+), then makes it leader of generation 1', async () => {
    const groupId = newGroup()
    const alone = await member({ groupId })
    const first = await alone.joinOnce()
    expect(first.errorCode).toBe(MEMBER_ID_REQUIRED)
    expect(first.memberId).toMatch(/^kafkit-[0-9a-f-]{36}$/)
    const joined = await alone.joinOnce()
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, leader: alone.memberId, protocolName: 'range' })
    expect(joined.members.map((m) => m.memberId)).toEqual([alone.memberId])
  })

  it('adds a member at once before v4, without MEMBER_ID_REQUIRED', async () => {
    const old = await member({ groupId: newGroup(), joinVersion: 3 })
    const joined = await old.joinOnce()
    expect(joined.errorCode).toBe(0)
    expect(joined.generationId).toBe(1)
  })

  it('rebalances when a second member joins: the first rejoins, the leader gets both metadata, SyncGroup hands out its assignment', async () => {
    const groupId = newGroup()
    const a = await stableLeader(groupId, { protocols: [{ name: 'range', metadata: subscription(['a']) }] })
    const b = await member({ groupId, protocols: [{ name: 'range', metadata: subscription(['b']) }] })
    const { rejoined: aJoined, joined: bJoined } = await joinAlongside(a, b)
    expect(aJoined.generationId).toBe(2)
    expect(bJoined.generationId).toBe(2)
    expect(aJoined.leader).toBe(a.memberId)
    expect(bJoined.members).toEqual([])
    const metadata = new Map(aJoined.members.map((m) => [m.memberId, Buffer.from(m.metadata)]))
    expect(metadata.get(a.memberId)).toEqual(subscription(['a']))
    expect(metadata.get(b.memberId)).toEqual(subscription(['b']))

    // The follower's SyncGroup waits for the leader's, which brings every assignment.
    const bSync = b.sync()
    const aSync = await a.sync({ [a.memberId]: Buffer.from('for-a'), [b.memberId]: Buffer.from('for-b') })
    expect(aSync).toMatchObject({ errorCode: 0, assignment: Buffer.from('for-a') })
    expect(await bSync).toMatchObject({ errorCode: 0, assignment: Buffer.from('for-b'), protocolName: 'range' })
    expect(await b.heartbeat()).toBe(0)
    expect(await b.heartbeat(1)).toBe(ILLEGAL_GENERATION)
  })

  it('selects the most preferred protocol that every member supports', async () => {
    const groupId = newGroup()
    const proto = (name: string) => ({ name, metadata: Buffer.from(name) })
    const a = await stableLeader(groupId, { protocols: [proto('sticky'), proto('range')] })
    expect(a.generationId).toBe(1)
    const b = await member({ groupId, protocols: [proto('roundrobin'), proto('range')] })
    const { rejoined: aJoined } = await joinAlongside(a, b)
    expect(aJoined.protocolName).toBe('range')
    expect(aJoined.members.find((m) => m.memberId === b.memberId)?.metadata).toEqual(Buffer.from('range'))

    const c = await member({ groupId, protocols: [proto('sticky')] })
    expect((await c.join()).errorCode).toBe(INCONSISTENT_GROUP_PROTOCOL)
    const other = await member({ groupId, protocolType: 'connect', protocols: [proto('range')] })
    expect((await other.join()).errorCode).toBe(INCONSISTENT_GROUP_PROTOCOL)
  })

  it('refuses a session timeout outside the broker limits', async () => {
    const m = await member({ groupId: newGroup(), sessionTimeoutMs: 0 })
    expect((await m.joinOnce()).errorCode).toBe(INVALID_SESSION_TIMEOUT)
  })

  it('answers UNKNOWN_MEMBER_ID to a heartbeat from a member the group does not know', async () => {
    const groupId = newGroup()
    await stableLeader(groupId)
    const stranger = await member({ groupId })
    stranger.memberId = 'nobody'
    expect(await stranger.heartbeat(1)).toBe(UNKNOWN_MEMBER_ID)
    expect((await stranger.joinOnce()).errorCode).toBe(UNKNOWN_MEMBER_ID)
  })
  it('answers a SyncGroup parked for the leader with REBALANCE_IN_PROGRESS when a new member starts another rebalance', async () => {
    const groupId = newGroup()
    const a = await stableLeader(groupId)
    const b = await member({ groupId })
    await joinAlongside(a, b)
    const bSync = b.sync()
    const c = await member({ groupId })
    const cJoining = c.join()
    expect((await bSync).errorCode).toBe(REBALANCE_IN_PROGRESS)
    const [aJoined, bJoined, cJoined] = await Promise.all([a.join(), b.join(), cJoining])
    expect(new Set([aJoined.generationId, bJoined.generationId, cJoined.generationId])).toEqual(new Set([3]))
    expect(aJoined.members).toHaveLength(3)
  })

  it('refuses members beyond group.max.size, a cluster-wide broker config', async () => {
    const groupId = newGroup()
    await stableLeader(groupId)
    const configs = kafka.control.state.brokerConfigs.get('') ?? new Map<string, string>()
    kafka.control.state.brokerConfigs.set('', configs)
    configs.set('group.max.size', '1')
    try {
      const extra = await member({ groupId })
      expect((await extra.joinOnce()).errorCode).toBe(GROUP_MAX_SIZE_REACHED)
    } finally {
      configs.delete('group.max.size')
    }
  })

  it('refuses an empty group id', async () => {
    const m = await member({ groupId: '' })
    expect((await m.joinOnce()).errorCode).toBe(24)
  })
})

describe('leaving and expiring', () => {
  it('drops a member whose session expires, and the others rebalance without it', async () => {
    const groupId = newGroup()
    const a = await stableLeader(groupId, { sessionTimeoutMs: 300 })
    const b = await member({ groupId, sessionTimeoutMs: 60_000 })
    await joinAlongside(a, b)
    await Promise.all([b.sync(), a.sync({})])
    // a goes silent; b keeps heartbeating and sees the rebalance its expiry starts.
    await untilRebalancing(b)
    const rejoined = await b.join()
    expect(rejoined).toMatchObject({ errorCode: 0, generationId: 3, leader: b.memberId })
    expect(rejoined.members.map((m) => m.memberId)).toEqual([b.memberId])
    expect(await a.heartbeat()).toBe(UNKNOWN_MEMBER_ID)
  })

  it('completes a rebalance without the members that do not rejoin within the rebalance timeout', async () => {
    const groupId = newGroup()
    const a = await stableLeader(groupId, { rebalanceTimeoutMs: 300, sessionTimeoutMs: 60_000 })
    const b = await member({ groupId, rebalanceTimeoutMs: 300 })
    const joined = await b.join()
    expect(joined).toMatchObject({ errorCode: 0, generationId: 2, leader: b.memberId })
    expect(await a.heartbeat()).toBe(UNKNOWN_MEMBER_ID)
  })

  it('rebalances when a member leaves, and the group is empty once the last one has', async () => {
    const groupId = newGroup()
    const a = await stableLeader(groupId)
    const b = await member({ groupId })
    await joinAlongside(a, b)
    await Promise.all([b.sync(), a.sync({})])
    expect(await b.leave()).toBe(0)
    expect(await a.heartbeat()).toBe(REBALANCE_IN_PROGRESS)
    expect((await a.join()).generationId).toBe(3)
    expect(await a.leave()).toBe(0)
    expect(await a.heartbeat()).toBe(UNKNOWN_MEMBER_ID)
  })
  it('forgets a member id handed out with MEMBER_ID_REQUIRED when the client does not come back within its session', async () => {
    const groupId = newGroup()
    const a = await stableLeader(groupId)
    const gone = await member({ groupId, sessionTimeoutMs: 300 })
    expect((await gone.joinOnce()).errorCode).toBe(MEMBER_ID_REQUIRED)
    // The leader's rejoin starts a rebalance that waits for the pending member until its session expires.
    const rejoined = await a.join()
    expect(rejoined).toMatchObject({ errorCode: 0, generationId: 2 })
    expect(rejoined.members.map((m) => m.memberId)).toEqual([a.memberId])
    expect((await gone.joinOnce()).errorCode).toBe(UNKNOWN_MEMBER_ID)
  })
})

describe('static membership', () => {
  it('lets a restarted instance take over its member id without a rebalance, fencing the old id', async () => {
    const groupId = newGroup()
    const first = await stableLeader(groupId, { groupInstanceId: 'instance-1' })
    const oldMemberId = first.memberId
    expect(oldMemberId).toMatch(/^instance-1-/)
    const restarted = await member({ groupId, groupInstanceId: 'instance-1' })
    const joined = await restarted.joinOnce()
    expect(joined.errorCode).toBe(0)
    expect(joined.generationId).toBe(1)
    expect(joined.memberId).not.toBe(oldMemberId)
    // v9: the rejoining leader learns it leads but keeps the assignment it had.
    expect(joined.skipAssignment).toBe(true)
    const synced = await restarted.sync({ [restarted.memberId]: Buffer.from('a0') })
    expect(synced.assignment).toEqual(Buffer.from('a0'))
    expect(await first.heartbeat()).toBe(82)
    expect(await restarted.heartbeat()).toBe(0)
  })

  it('removes a static member by group instance id alone (LeaveGroup v3+)', async () => {
    const groupId = newGroup()
    await stableLeader(groupId, { groupInstanceId: 'gone' })
    const admin = await member({ groupId })
    const response = await client.cluster.request(admin.options.coordinator, 'LeaveGroup', {
      groupId,
      memberId: '',
      members: [{ memberId: '', groupInstanceId: 'gone', reason: 'admin' }],
    })
    expect(response.members).toEqual([expect.objectContaining({ groupInstanceId: 'gone', errorCode: 0 })])
  })
})

describe('a parked request', () => {
  it('stops waiting when its connection closes', async () => {
    const closed = new AbortController()
    const waiting = untilAnswered<string>(closed.signal, () => {})
    closed.abort()
    expect(await waiting).toBeNull()
    expect(await untilAnswered<string>(new AbortController().signal, (respond) => respond('answered'))).toBe('answered')
  })
})
