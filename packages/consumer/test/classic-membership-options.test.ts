import { KafkaClient, silentLogger } from '@kafkit/client'
import { InvalidMessageError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { CooperativeStickyAssignor, RangeAssignor, RoundRobinAssignor, StickyAssignor } from '../src/assignors/index.js'
import type { Assignor } from '../src/assignors/types.js'
import { ClassicMembership, type ClassicMembershipOptions, rebalanceProtocolOf } from '../src/group/classic/index.js'

const defaults: ClassicMembershipOptions = {
  groupId: 'g',
  groupInstanceId: null,
  sessionTimeoutMs: 45_000,
  rebalanceTimeoutMs: 300_000,
  maxPollIntervalMs: 300_000,
  heartbeatIntervalMs: 3000,
  assignors: [new RangeAssignor(), new CooperativeStickyAssignor()],
  clientRack: null,
  requestTimeoutMs: 30_000,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1000,
  logger: silentLogger,
}

// The membership never connects in these tests: construction only checks options.
const client = new KafkaClient({ brokers: ['localhost:9'] })

describe('ClassicMembership options', () => {
  it('starts outside the group: generation -1, member id "", nothing owned', () => {
    const m = new ClassicMembership(client, defaults)
    expect(m.protocol).toBe('classic')
    expect(m.groupMetadata).toEqual({ groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null })
    expect(m.assignment).toEqual([])
    expect(m.memberState).toBe('unjoined')
  })

  it.each([
    [{ groupId: '' }, /groupId must be a non-empty string/],
    [{ groupInstanceId: '' }, /groupInstanceId must be null or a non-empty string/],
    [{ sessionTimeoutMs: 0 }, /sessionTimeoutMs must be a positive integer/],
    [{ heartbeatIntervalMs: 1.5 }, /heartbeatIntervalMs must be a positive integer/],
    [{ heartbeatIntervalMs: 45_000 }, /heartbeatIntervalMs \(45000\) must be lower than sessionTimeoutMs/],
    [{ assignors: [] }, /assignors must name at least one assignor/],
    [{ assignors: [new RangeAssignor(), new RangeAssignor()] }, /assignor "range" is listed twice/],
  ] as [Partial<ClassicMembershipOptions>, RegExp][])('refuses %o at construction', (override, message) => {
    expect(() => new ClassicMembership(client, { ...defaults, ...override })).toThrow(InvalidMessageError)
    expect(() => new ClassicMembership(client, { ...defaults, ...override })).toThrow(message)
  })

  it('uses the cooperative protocol only when every assignor supports it, as Java does', () => {
    expect(rebalanceProtocolOf([new CooperativeStickyAssignor()])).toBe('COOPERATIVE')
    expect(rebalanceProtocolOf([new CooperativeStickyAssignor(), new RangeAssignor()])).toBe('EAGER')
    expect(rebalanceProtocolOf([new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor()])).toBe('EAGER')
    const cooperative = new CooperativeStickyAssignor()
    const cooperativeOnly: Assignor = {
      name: 'cooperative-only',
      supportedProtocols: ['COOPERATIVE'],
      subscriptionUserData: (previous) => cooperative.subscriptionUserData(previous),
      assign: (cluster, members) => cooperative.assign(cluster, members),
    }
    expect(() => rebalanceProtocolOf([cooperativeOnly, new RangeAssignor()])).toThrow(/no rebalance protocol in common/)
  })

  it('refuses a second start()', () => {
    const m = new ClassicMembership(client, defaults)
    const listener = { onAssigned: async () => {}, onRevoked: async () => {}, onLost: async () => {} }
    m.start(['t'], listener)
    expect(() => m.start(['t'], listener)).toThrow(/already started/)
    return m.leave()
  })
})
