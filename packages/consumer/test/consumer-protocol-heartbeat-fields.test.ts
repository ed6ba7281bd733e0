import { describe, expect, it } from 'vitest'
import { HeartbeatFields, type MemberState } from '../src/group/consumer-protocol/heartbeat-fields.js'

const state = (over: Partial<MemberState> = {}): MemberState => ({
  instanceId: null,
  rackId: 'rack-1',
  rebalanceTimeoutMs: 300_000,
  serverAssignor: 'uniform',
  subscribedTopicNames: ['orders'],
  subscribedTopicRegex: null,
  owned: new Map(),
  ...over,
})

describe('KIP-848 heartbeat fields', () => {
  it('a join sends everything, with no owned partitions', () => {
    const fields = new HeartbeatFields()
    expect(fields.build(state({ owned: new Map([['id', [1]]]) }), true)).toEqual({
      instanceId: null,
      rackId: 'rack-1',
      rebalanceTimeoutMs: 300_000,
      serverAssignor: 'uniform',
      subscribedTopicNames: ['orders'],
      subscribedTopicRegex: null,
      topicPartitions: [],
    })
  })

  it('after an answered heartbeat only what changed is sent; the rest is null (unchanged)', () => {
    const fields = new HeartbeatFields()
    const first = state()
    fields.build(first, true)
    fields.commit(first)
    expect(fields.build(first, false)).toEqual({
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: -1,
      serverAssignor: null,
      subscribedTopicNames: null,
      subscribedTopicRegex: null,
      topicPartitions: null,
    })
    const acked = state({ owned: new Map([['id', [0, 2]]]), subscribedTopicNames: ['orders', 'refunds'] })
    expect(fields.build(acked, false)).toMatchObject({
      subscribedTopicNames: ['orders', 'refunds'],
      topicPartitions: [{ topicId: 'id', partitions: [0, 2] }],
      rebalanceTimeoutMs: -1,
    })
  })

  it('after an error (reset) the next heartbeat is full again, listing owned partitions', () => {
    const fields = new HeartbeatFields()
    const owned = state({ owned: new Map([['id', [3]]]) })
    fields.commit(owned)
    fields.reset()
    expect(fields.build(owned, false)).toMatchObject({
      rackId: 'rack-1',
      rebalanceTimeoutMs: 300_000,
      subscribedTopicNames: ['orders'],
      topicPartitions: [{ topicId: 'id', partitions: [3] }],
    })
  })

  it('a static member names its instance on every heartbeat', () => {
    const fields = new HeartbeatFields()
    const member = state({ instanceId: 'i-1' })
    fields.commit(member)
    expect(fields.build(member, false).instanceId).toBe('i-1')
  })
})
