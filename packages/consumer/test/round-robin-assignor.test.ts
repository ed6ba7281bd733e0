import { describe, expect, it } from 'vitest'
import { RoundRobinAssignor } from '../src/index.js'
import { cluster, members, names } from './support.js'

describe('RoundRobinAssignor', () => {
  const assignor = new RoundRobinAssignor()

  it('deals all partitions to the members in turn', () => {
    const result = assignor.assign(
      cluster({ t0: 3, t1: 3 }),
      members({ c0: { topics: ['t0', 't1'] }, c1: { topics: ['t0', 't1'] } }),
    )
    expect(names(result)).toEqual({ c0: ['t0-0', 't0-2', 't1-1'], c1: ['t0-1', 't1-0', 't1-2'] })
  })

  it('skips members not subscribed to the partition’s topic', () => {
    const result = assignor.assign(
      cluster({ t0: 1, t1: 2, t2: 3 }),
      members({ c0: { topics: ['t0'] }, c1: { topics: ['t0', 't1'] }, c2: { topics: ['t0', 't1', 't2'] } }),
    )
    expect(names(result)).toEqual({ c0: ['t0-0'], c1: ['t1-0'], c2: ['t1-1', 't2-0', 't2-1', 't2-2'] })
  })

  it('puts static members first', () => {
    const result = assignor.assign(
      cluster({ t: 3 }),
      members({ a: { topics: ['t'] }, b: { topics: ['t'], groupInstanceId: 'x' } }),
    )
    expect(names(result)).toEqual({ b: ['t-0', 't-2'], a: ['t-1'] })
  })
})
