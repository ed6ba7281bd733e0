/**
 * DescribeLogDirs (key 35), versions 1-4. Each broker has one log directory
 * holding a replica of every partition placed on it (the replicas share one
 * log, so every replica reports the partition's size in bytes, offset lag 0
 * and no future log). Null topics describe every partition; otherwise the
 * partitions asked for, and, as in Kafka, every other topic of the directory
 * is listed with no partitions. The directory is named after the cluster and
 * broker under the OS temp folder (the logs live in memory); from v4 its
 * total and usable bytes are those of the temp folder's volume.
 */
import { statfsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Apis, type DescribeLogDirsRequest, type DescribeLogDirsResponseDescribeLogDirsTopic } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { ClusterState } from '../state/cluster-state.js'
import { AdminError } from './admin-errors.js'

/** The folder a broker's logs would be in: absolute, stable for the cluster's life. */
export function logDirOf(cluster: ClusterState, nodeId: number): string {
  return join(tmpdir(), `kafkit-embedded-${cluster.clusterId}`, `broker-${nodeId}`, 'data')
}

function volume(): { totalBytes: bigint; usableBytes: bigint } {
  try {
    const stats = statfsSync(tmpdir())
    return {
      totalBytes: BigInt(stats.blocks) * BigInt(stats.bsize),
      usableBytes: BigInt(stats.bavail) * BigInt(stats.bsize),
    }
  } catch {
    return { totalBytes: -1n, usableBytes: -1n }
  }
}

function describeTopics(
  cluster: ClusterState,
  nodeId: number,
  request: DescribeLogDirsRequest,
): DescribeLogDirsResponseDescribeLogDirsTopic[] {
  const asked = request.topics === null ? undefined : new Map(request.topics.map((t) => [t.topic, t.partitions]))
  const topics: DescribeLogDirsResponseDescribeLogDirsTopic[] = []
  for (const topic of cluster.topics.values()) {
    const here = topic.partitions.filter((partition) => partition.replicas.includes(nodeId))
    if (here.length === 0) continue
    const wanted = asked?.get(topic.name)
    topics.push({
      name: topic.name,
      partitions: here
        .filter((partition) => asked === undefined || wanted?.includes(partition.partition))
        .map((partition) => ({
          partitionIndex: partition.partition,
          partitionSize: BigInt(partition.log.size),
          offsetLag: 0n,
          isFutureKey: false,
        })),
    })
  }
  return topics
}

export const describeLogDirsHandler = defineHandler({
  api: 'DescribeLogDirs',
  minVersion: Apis.DescribeLogDirs.minVersion,
  maxVersion: Apis.DescribeLogDirs.maxVersion,
  handle(request, { cluster, broker }) {
    return {
      throttleTimeMs: 0,
      errorCode: AdminError.NONE,
      results: [
        {
          errorCode: AdminError.NONE,
          logDir: logDirOf(cluster, broker.nodeId),
          topics: describeTopics(cluster, broker.nodeId, request),
          ...volume(),
        },
      ],
    }
  },
})
