import { type Cluster, MetadataCache, silentLogger } from '@kafkit/client'
import {
  createMetadataResponse,
  createMetadataResponseMetadataResponseBroker,
  createMetadataResponseMetadataResponsePartition,
  createMetadataResponseMetadataResponseTopic,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import {
  type Assignor,
  type ClusterPartitions,
  decodeAssignment,
  encodeSubscription,
  type GroupMember,
  RangeAssignor,
} from '../src/assignors/index.js'
import { assignAsLeader } from '../src/group/classic/leader-assignment.js'

/** A cluster of three brokers in racks r1, r2 and none, with topic t (3 partitions, replicas on all brokers). */
function fakeCluster(): { cluster: Cluster; refreshed: string[][] } {
  const metadata = new MetadataCache()
  metadata.update(
    createMetadataResponse({
      brokers: [
        createMetadataResponseMetadataResponseBroker({ nodeId: 1, host: 'b1', port: 9092, rack: 'r1' }),
        createMetadataResponseMetadataResponseBroker({ nodeId: 2, host: 'b2', port: 9092, rack: 'r2' }),
        createMetadataResponseMetadataResponseBroker({ nodeId: 3, host: 'b3', port: 9092, rack: null }),
      ],
      topics: [
        createMetadataResponseMetadataResponseTopic({
          name: 't',
          partitions: [0, 1, 2].map((p) =>
            createMetadataResponseMetadataResponsePartition({
              partitionIndex: p,
              leaderId: 1 + p,
              replicaNodes: [1 + p, 1 + ((p + 1) % 3)],
            }),
          ),
        }),
      ],
    }),
    false,
  )
  const refreshed: string[][] = []
  const cluster = {
    metadata,
    refreshMetadata: async (options: { topics?: readonly string[] }) => {
      refreshed.push([...(options.topics ?? [])].sort())
    },
  } as unknown as Cluster
  return { cluster, refreshed }
}

function joined(memberId: string, topics: string[], rackId: string | null = null) {
  return {
    memberId,
    groupInstanceId: null,
    metadata: encodeSubscription({ topics, userData: null, ownedPartitions: [], generationId: -1, rackId }),
    _unknownTaggedFields: [],
  }
}

describe('the leader assignment', () => {
  it('loads the metadata of every member topic and hands the assignor partitions with their replica racks', async () => {
    const { cluster, refreshed } = fakeCluster()
    let seen: { cluster: ClusterPartitions; members: readonly GroupMember[] } | undefined
    const range = new RangeAssignor()
    const recording: Assignor = {
      name: 'range',
      supportedProtocols: ['EAGER'],
      subscriptionUserData: () => null,
      assign: (c, members) => {
        seen = { cluster: c, members }
        return range.assign(c, members)
      },
    }
    const result = await assignAsLeader(
      cluster,
      recording,
      [joined('m1', ['t'], 'r1'), joined('m2', ['t', 'missing'])],
      {
        signal: new AbortController().signal,
        logger: silentLogger,
        cooperative: false,
      },
    )
    expect(refreshed).toEqual([['missing', 't']])
    // A topic the metadata does not know is left out; racks follow the replica order.
    expect([...(seen?.cluster.keys() ?? [])]).toEqual(['t'])
    expect(seen?.cluster.get('t')).toEqual([
      { partition: 0, replicaRacks: ['r1', 'r2'] },
      { partition: 1, replicaRacks: ['r2', null] },
      { partition: 2, replicaRacks: [null, 'r1'] },
    ])
    expect(seen?.members.map((m) => [m.memberId, m.subscription.rackId])).toEqual([
      ['m1', 'r1'],
      ['m2', null],
    ])
    const byMember = new Map(result.assignments.map((a) => [a.memberId, decodeAssignment(a.assignment).partitions]))
    expect(byMember.get('m1')?.length ?? 0).toBeGreaterThan(0)
    expect((byMember.get('m1')?.length ?? 0) + (byMember.get('m2')?.length ?? 0)).toBe(3)
    expect([...result.partitionCounts]).toEqual([
      ['t', 3],
      ['missing', 0],
    ])
  })
})
