import { describe, expect, it } from 'vitest'
import { RangeAssignor } from '../src/index.js'
import { cluster, members, names } from './support.js'

describe('RangeAssignor', () => {
  const assignor = new RangeAssignor()

  it('gives each member a contiguous range per topic, the first members one extra', () => {
    const result = assignor.assign(
      cluster({ t0: 3, t1: 3 }),
      members({ c1: { topics: ['t0', 't1'] }, c0: { topics: ['t0', 't1'] } }),
    )
    expect(names(result)).toEqual({ c0: ['t0-0', 't0-1', 't1-0', 't1-1'], c1: ['t0-2', 't1-2'] })
    expect(assignor.name).toBe('range')
    expect(assignor.supportedProtocols).toEqual(['EAGER'])
  })

  it('orders static members first, by group.instance.id', () => {
    const result = assignor.assign(
      cluster({ t: 3 }),
      members({ a: { topics: ['t'] }, z: { topics: ['t'], groupInstanceId: 'instance-1' } }),
    )
    expect(names(result)).toEqual({ z: ['t-0', 't-1'], a: ['t-2'] })
  })

  it('gives every member an entry, even one whose topics have no partitions', () => {
    const result = assignor.assign(cluster({ t: 1 }), members({ a: { topics: ['t'] }, b: { topics: ['missing'] } }))
    expect(names(result)).toEqual({ a: ['t-0'], b: [] })
  })

  it('prefers members on a rack that holds a replica (KIP-881)', () => {
    const racks = (_topic: string, partition: number) => [partition === 0 ? 'rack-b' : 'rack-a']
    const result = assignor.assign(
      cluster({ t: 2 }, racks),
      members({ c0: { topics: ['t'], rackId: 'rack-a' }, c1: { topics: ['t'], rackId: 'rack-b' } }),
    )
    expect(names(result)).toEqual({ c0: ['t-1'], c1: ['t-0'] })
  })

  it('keeps partition p of co-partitioned topics on one member when matching racks', () => {
    const racks = (_topic: string, partition: number) => [['rack-b', 'rack-a', 'rack-a', 'rack-b'][partition] ?? null]
    const result = assignor.assign(
      cluster({ t: 4, u: 4 }, racks),
      members({ c0: { topics: ['t', 'u'], rackId: 'rack-a' }, c1: { topics: ['t', 'u'], rackId: 'rack-b' } }),
    )
    expect(names(result)).toEqual({ c0: ['t-1', 't-2', 'u-1', 'u-2'], c1: ['t-0', 't-3', 'u-0', 'u-3'] })
  })

  it('ignores racks when every partition has replicas on every rack', () => {
    const result = assignor.assign(
      cluster({ t: 2 }, () => ['rack-a', 'rack-b']),
      members({ c0: { topics: ['t'], rackId: 'rack-b' }, c1: { topics: ['t'], rackId: 'rack-a' } }),
    )
    expect(names(result)).toEqual({ c0: ['t-0'], c1: ['t-1'] })
  })
})
