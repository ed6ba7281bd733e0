/**
 * Finding the partition a data request names and checking that this broker
 * may serve it, as Kafka's ReplicaManager.getPartitionOrException and
 * Partition.getLocalLog do: unknown partitions, brokers that hold no replica,
 * stale or future leader epochs, and followers asked what only a leader may
 * answer each get their own error.
 */
import type { RequestContext } from '../handler.js'
import type { PartitionState, TopicState } from '../state/cluster-state.js'
import { ErrorCode } from '../state/data-errors.js'

export interface LocateOptions {
  /** Only the leader may answer (produce, list offsets, ...); fetches from v11 may be served by a follower. */
  requireLeader: boolean
  /** The client's view of the leader epoch; negative when it sends none. */
  currentLeaderEpoch?: number
}

/** The partition, or the error code to answer with. */
export function locatePartition(
  context: RequestContext,
  topic: TopicState | undefined,
  index: number,
  options: LocateOptions,
): PartitionState | number {
  const partition = topic?.partitions[index]
  if (!partition) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
  const nodeId = context.broker.nodeId
  // A broker without a replica of a partition that exists elsewhere tells the client to refresh its metadata.
  if (!partition.replicas.includes(nodeId)) return ErrorCode.NOT_LEADER_OR_FOLLOWER
  const epoch = options.currentLeaderEpoch ?? -1
  if (epoch >= 0 && epoch < partition.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH
  if (epoch >= 0 && epoch > partition.leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH
  if (options.requireLeader && partition.leader !== nodeId) return ErrorCode.NOT_LEADER_OR_FOLLOWER
  // The embedded cluster moves leaders without telling the logs; the epoch cache learns of it here.
  partition.log.assignLeaderEpoch(partition.leaderEpoch)
  return partition
}

/** Topics by name, or by id when the request version carries ids. */
export function findTopic(
  context: RequestContext,
  name: string,
  topicId: string,
  byId: boolean,
): TopicState | undefined {
  return byId ? context.cluster.topicsById.get(topicId) : context.cluster.topics.get(name)
}

export interface LeaderHint {
  leaderId: number
  leaderEpoch: number
  endpoint: { nodeId: number; host: string; port: number; rack: string | null } | undefined
}

/**
 * The current leader of a partition and its endpoint on the listener the
 * request came through (KIP-951: NOT_LEADER_OR_FOLLOWER answers carry them so
 * that clients need no metadata round trip).
 */
export function leaderHint(context: RequestContext, partition: PartitionState | undefined): LeaderHint {
  if (!partition) return { leaderId: -1, leaderEpoch: -1, endpoint: undefined }
  const broker = context.cluster.broker(partition.leader)
  const port = broker?.ports[context.listener]
  return {
    leaderId: partition.leader,
    leaderEpoch: partition.leaderEpoch,
    endpoint:
      broker?.running && port !== undefined
        ? { nodeId: broker.nodeId, host: broker.host, port, rack: broker.rack }
        : undefined,
  }
}
