import {
  ClusterAuthorizationFailedError,
  ElectionNotNeededError,
  InvalidMessageError,
  NoReassignmentInProgressError,
  UnsupportedVersionError,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { AdminPartialFailureError } from '../src/admin-error.js'
import { alterPartitionReassignments } from '../src/cluster/alter-partition-reassignments.js'
import { describeCluster } from '../src/cluster/describe-cluster.js'
import { describeFeatures } from '../src/cluster/describe-features.js'
import { describeLogDirs } from '../src/cluster/describe-log-dirs.js'
import { electLeaders } from '../src/cluster/elect-leaders.js'
import { listPartitionReassignments } from '../src/cluster/list-partition-reassignments.js'
import { scriptedRouter, unusedRouter } from './support/scripted-router.js'

/** The error a call rejects with. */
async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => error,
  )
}

describe('electLeaders', () => {
  it('fails invalid arguments at the call, saying what to pass', async () => {
    const router = unusedRouter()
    await expect(electLeaders(router, { electionType: 'random' as 'unclean' })).rejects.toThrow(
      "electLeaders electionType must be 'preferred' or 'unclean'; got random",
    )
    await expect(electLeaders(router, { partitions: [] })).rejects.toThrow(/partitions must be a non-empty array/)
    await expect(electLeaders(router, { partitions: [{ topic: 'a', partition: -1 }] })).rejects.toThrow(
      /partitions\[0\]\.partition must be an integer >= 0/,
    )
    await expect(electLeaders(router, { partitions: [{ topic: '', partition: 0 }] })).rejects.toThrow(
      InvalidMessageError,
    )
    await expect(electLeaders(router, { timeoutMs: 0 })).rejects.toThrow(/timeoutMs must be an integer >= 1/)
    await expect(electLeaders(router, { partition: [] } as object)).rejects.toThrow(/no option "partition"/)
  })

  it('groups partitions by topic once each, and reports each partition on its own', async () => {
    const { router, sent } = scriptedRouter(() => ({
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: [
        {
          topic: 'a',
          partitionResult: [
            { partitionId: 0, errorCode: 0, errorMessage: null },
            { partitionId: 2, errorCode: 84, errorMessage: 'Leader election not needed for topic partition.' },
          ],
        },
        { topic: 'b', partitionResult: [{ partitionId: 1, errorCode: 0, errorMessage: null }] },
      ],
    }))
    const error = await rejection(
      electLeaders(router, {
        electionType: 'unclean',
        partitions: [
          { topic: 'a', partition: 0 },
          { topic: 'b', partition: 1 },
          { topic: 'a', partition: 2 },
          { topic: 'a', partition: 0 },
        ],
      }),
    )
    expect(sent).toEqual([
      {
        api: 'ElectLeaders',
        broker: 1,
        body: {
          electionType: 1,
          topicPartitions: [
            { topic: 'a', partitions: [0, 2] },
            { topic: 'b', partitions: [1] },
          ],
          timeoutMs: 60_000,
        },
      },
    ])
    expect(error).toBeInstanceOf(AdminPartialFailureError)
    const partial = error as AdminPartialFailureError
    expect(partial.succeeded).toEqual([
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 1 },
    ])
    expect(partial.failures.map((f) => [f.entry, f.error.constructor])).toEqual([['a-2', ElectionNotNeededError]])
    expect(partial.failures[0]!.error.message).toContain('Leader election not needed')
  })

  it('asks for every partition with null, and refuses an unclean election before ElectLeaders v1', async () => {
    const { router, sent } = scriptedRouter(() => ({ throttleTimeMs: 0, errorCode: 0, replicaElectionResults: [] }))
    expect(await electLeaders(router)).toEqual([])
    expect(sent[0]!.body).toMatchObject({ electionType: 0, topicPartitions: null })
    const old = scriptedRouter(() => ({}), { version: 0 }).router
    await expect(electLeaders(old, { electionType: 'unclean' })).rejects.toThrow(UnsupportedVersionError)
  })
})

describe('alterPartitionReassignments and listPartitionReassignments', () => {
  it('fail invalid arguments at the call', async () => {
    const router = unusedRouter()
    await expect(alterPartitionReassignments(router, { topics: [] })).rejects.toThrow(
      /topics must be a non-empty array/,
    )
    await expect(
      alterPartitionReassignments(router, {
        topics: [
          {
            topic: 't',
            partitionAssignment: [
              { partition: 0, replicas: [1] },
              { partition: 0, replicas: [2] },
            ],
          },
        ],
      }),
    ).rejects.toThrow('names t-0 a second time')
    await expect(
      alterPartitionReassignments(router, {
        topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: 3 as unknown as number[] }] }],
      }),
    ).rejects.toThrow(/replicas must be an array of broker ids, or null to cancel/)
    await expect(
      alterPartitionReassignments(router, {
        topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: [-1] }] }],
      }),
    ).rejects.toThrow(/replicas\[0\] must be an integer >= 0/)
    await expect(listPartitionReassignments(router, { topics: [{ topic: 't', partitions: [] }] })).rejects.toThrow(
      /topics\[0\]\.partitions must be a non-empty array/,
    )
  })

  it('send targets and cancels per topic, and name each refused partition', async () => {
    const { router, sent } = scriptedRouter(() => ({
      throttleTimeMs: 0,
      allowReplicationFactorChange: false,
      errorCode: 0,
      errorMessage: null,
      responses: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, errorCode: 0, errorMessage: null },
            { partitionIndex: 1, errorCode: 85, errorMessage: null },
          ],
        },
      ],
    }))
    const error = (await rejection(
      alterPartitionReassignments(router, {
        topics: [
          {
            topic: 't',
            partitionAssignment: [
              { partition: 0, replicas: [3, 1] },
              { partition: 1, replicas: null },
            ],
          },
        ],
        allowReplicationFactorChange: false,
        timeoutMs: 5000,
      }),
    )) as AdminPartialFailureError
    expect(sent[0]).toEqual({
      api: 'AlterPartitionReassignments',
      broker: 1,
      body: {
        timeoutMs: 5000,
        allowReplicationFactorChange: false,
        topics: [
          {
            name: 't',
            partitions: [
              { partitionIndex: 0, replicas: [3, 1] },
              { partitionIndex: 1, replicas: null },
            ],
          },
        ],
      },
    })
    expect(error.succeeded).toEqual([{ topic: 't', partition: 0 }])
    expect(error.failures.map((f) => [f.entry, f.error.constructor])).toEqual([['t-1', NoReassignmentInProgressError]])
  })

  it('needs v1 to keep the replication factor', async () => {
    const { router } = scriptedRouter(() => ({}), { version: 0 })
    await expect(
      alterPartitionReassignments(router, {
        topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: [1] }] }],
        allowReplicationFactorChange: false,
      }),
    ).rejects.toThrow(/needs AlterPartitionReassignments v1/)
  })

  it('lists ongoing reassignments in kafkajs shape', async () => {
    const { router, sent } = scriptedRouter(() => ({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 2, replicas: [3, 1, 2], addingReplicas: [3], removingReplicas: [2] }],
        },
      ],
    }))
    expect(await listPartitionReassignments(router, { topics: [{ topic: 't', partitions: [2, 2, 0] }] })).toEqual({
      topics: [
        { topic: 't', partitions: [{ partition: 2, replicas: [3, 1, 2], addingReplicas: [3], removingReplicas: [2] }] },
      ],
    })
    expect(sent[0]!.body).toEqual({ timeoutMs: 60_000, topics: [{ name: 't', partitionIndexes: [2, 0] }] })
    await listPartitionReassignments(router)
    expect(sent[1]!.body).toMatchObject({ topics: null })
  })
})

describe('describeCluster, describeFeatures and describeLogDirs', () => {
  it('describeCluster maps brokers and authorized operations, asking for fenced brokers only from v2', async () => {
    const answer = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: 'c',
      controllerId: 2,
      brokers: [{ brokerId: 2, host: 'h', port: 9092, rack: 'r1', isFenced: false }],
      clusterAuthorizedOperations: (1 << 7) | (1 << 8),
    }
    const { router, sent } = scriptedRouter(() => answer, { version: 1 })
    expect(await describeCluster(router, { includeAuthorizedOperations: true, includeFencedBrokers: true })).toEqual({
      clusterId: 'c',
      controller: 2,
      brokers: [{ nodeId: 2, host: 'h', port: 9092, rack: 'r1', isFenced: false }],
      authorizedOperations: ['ALTER', 'DESCRIBE'],
    })
    expect(sent[0]!.body).toEqual({
      includeClusterAuthorizedOperations: true,
      endpointType: 1,
      includeFencedBrokers: false,
    })
    await expect(
      describeCluster(unusedRouter(), { includeAuthorizedOperations: 'yes' as unknown as boolean }),
    ).rejects.toThrow(/must be true or false/)
  })

  it('describeCluster falls back to Metadata on brokers without DescribeCluster (before Kafka 2.8)', async () => {
    const { router, sent } = scriptedRouter(
      ({ api }) => {
        if (api === 'DescribeCluster')
          throw new UnsupportedVersionError({ api, detail: 'the broker does not support it' })
        return {
          throttleTimeMs: 0,
          brokers: [{ nodeId: 3, host: 'h', port: 9093, rack: null }],
          clusterId: 'old',
          controllerId: 3,
          topics: [],
          clusterAuthorizedOperations: 1 << 8,
          errorCode: 0,
        }
      },
      { version: 9 },
    )
    expect(await describeCluster(router, { includeAuthorizedOperations: true })).toEqual({
      clusterId: 'old',
      controller: 3,
      brokers: [{ nodeId: 3, host: 'h', port: 9093, rack: null, isFenced: false }],
      authorizedOperations: ['DESCRIBE'],
    })
    expect(sent.map((s) => s.api)).toEqual(['DescribeCluster', 'Metadata'])
    expect(sent[1]!.body).toMatchObject({ topics: [], includeClusterAuthorizedOperations: true })
  })

  it('describeFeatures reads supported and finalized levels; no epoch when the broker has none', async () => {
    const { router } = scriptedRouter(() => ({
      errorCode: 0,
      apiKeys: [],
      throttleTimeMs: 0,
      supportedFeatures: [{ name: 'metadata.version', minVersion: 7, maxVersion: 27 }],
      finalizedFeaturesEpoch: -1n,
      finalizedFeatures: [{ name: 'metadata.version', minVersionLevel: 27, maxVersionLevel: 27 }],
      zkMigrationReady: false,
    }))
    expect(await describeFeatures(router)).toEqual({
      supportedFeatures: { 'metadata.version': { minVersion: 7, maxVersion: 27 } },
      finalizedFeatures: { 'metadata.version': { minVersionLevel: 27, maxVersionLevel: 27 } },
      finalizedFeaturesEpoch: undefined,
    })
  })

  it('describeLogDirs asks each broker and names a broker that failed BROKER:<id>', async () => {
    const { router, sent } = scriptedRouter(({ broker }) =>
      broker === 2
        ? { throttleTimeMs: 0, errorCode: 31, results: [] }
        : {
            throttleTimeMs: 0,
            errorCode: 0,
            results: [
              {
                errorCode: 0,
                logDir: '/data',
                topics: [
                  {
                    name: 't',
                    partitions: [{ partitionIndex: 0, partitionSize: 10n, offsetLag: 0n, isFutureKey: false }],
                  },
                ],
                totalBytes: -1n,
                usableBytes: -1n,
              },
            ],
          },
    )
    const error = (await rejection(describeLogDirs(router, [2, 1, 2]))) as AdminPartialFailureError
    expect(sent.map((s) => [s.api, s.broker, s.body])).toEqual([
      ['DescribeLogDirs', 1, { topics: null }],
      ['DescribeLogDirs', 2, { topics: null }],
    ])
    expect(error.failures.map((f) => [f.entry, f.error.constructor])).toEqual([
      ['BROKER:2', ClusterAuthorizationFailedError],
    ])
    expect(error.authorizationOnly).toBe(true)
    expect(error.succeeded).toEqual([
      {
        broker: 1,
        logDirs: [
          {
            path: '/data',
            error: undefined,
            totalBytes: undefined,
            usableBytes: undefined,
            replicas: [{ topic: 't', partition: 0, sizeBytes: 10n, offsetLag: 0n, isFuture: false }],
          },
        ],
      },
    ])
    await expect(describeLogDirs(unusedRouter(), [1.5])).rejects.toThrow(/brokers\[0\] must be an integer >= 0/)
  })
})
