/**
 * ElectLeaders (key 43), versions 0-2, as Kafka's KRaft controller answers.
 * Preferred election (type 0, the only one before v1) moves leadership to the
 * first replica when it is in sync and running; a partition already led by it
 * answers ELECTION_NOT_NEEDED, one whose first replica cannot lead
 * PREFERRED_LEADER_NOT_AVAILABLE. Unclean election (type 1) only acts on a
 * partition without a leader: an in-sync replica if any, else the first
 * replica on a running broker (ELECTION_NOT_NEEDED when there is a leader,
 * ELIGIBLE_LEADERS_NOT_AVAILABLE when no replica is running). Null partitions
 * mean every partition of every topic, and then partitions that need no
 * election are left out of the answer (their topics stay, possibly empty).
 * Another election type answers INVALID_REQUEST for the request and each
 * partition, and a timeoutMs of 0 or less REQUEST_TIMED_OUT (the controller's
 * deadline has passed), changing nothing. Unknown topics and partitions answer UNKNOWN_TOPIC_OR_PARTITION
 * with Kafka's messages.
 */
import { Apis, type ElectLeadersResponse, type ElectLeadersResponseReplicaElectionResult } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { ClusterState } from '../state/cluster-state.js'
import { electPreferred, electUnclean } from '../state/leader-election.js'
import { AdminError, defaultMessage, expiredOnArrival } from './admin-errors.js'

const PREFERRED = 0
const UNCLEAN = 1
const PREFERRED_LEADER_NOT_AVAILABLE = 80
const ELIGIBLE_LEADERS_NOT_AVAILABLE = 83
const ELECTION_NOT_NEEDED = 84

interface Outcome {
  errorCode: number
  errorMessage: string | null
}

function fail(errorCode: number, errorMessage = defaultMessage(errorCode)): Outcome {
  return { errorCode, errorMessage }
}

function elect(cluster: ClusterState, topic: string, index: number, type: number): Outcome {
  const state = cluster.topics.get(topic)
  if (!state) return fail(AdminError.UNKNOWN_TOPIC_OR_PARTITION, `No such topic as ${topic}`)
  const partition = state.partitions[index]
  if (!partition) return fail(AdminError.UNKNOWN_TOPIC_OR_PARTITION, `No such partition as ${topic}-${index}`)
  if (type === PREFERRED) {
    if (partition.leader === partition.replicas[0]) return fail(ELECTION_NOT_NEEDED)
    return electPreferred(cluster, partition) ? fail(AdminError.NONE, null) : fail(PREFERRED_LEADER_NOT_AVAILABLE)
  }
  if (partition.leader >= 0) return fail(ELECTION_NOT_NEEDED)
  return electUnclean(cluster, partition) ? fail(AdminError.NONE, null) : fail(ELIGIBLE_LEADERS_NOT_AVAILABLE)
}

export const electLeadersHandler = defineHandler({
  api: 'ElectLeaders',
  minVersion: Apis.ElectLeaders.minVersion,
  maxVersion: Apis.ElectLeaders.maxVersion,
  handle(request, { cluster, version }): ElectLeadersResponse {
    const type = version >= 1 ? request.electionType : PREFERRED
    const answer = (errorCode: number, replicaElectionResults: ElectLeadersResponseReplicaElectionResult[]) => ({
      throttleTimeMs: 0,
      errorCode,
      replicaElectionResults,
    })
    // The controller fails the whole request: the error goes to the top and to every partition named.
    const failAll = (errorCode: number, errorMessage: string | null) =>
      answer(
        errorCode,
        (request.topicPartitions ?? []).map(({ topic, partitions }) => ({
          topic,
          partitionResult: partitions.map((partitionId) => ({ partitionId, errorCode, errorMessage })),
        })),
      )
    if (type !== PREFERRED && type !== UNCLEAN)
      return failAll(AdminError.INVALID_REQUEST, `Unknown election type ${type}`)
    if (expiredOnArrival(request.timeoutMs)) return failAll(AdminError.REQUEST_TIMED_OUT, null)
    if (request.topicPartitions === null) {
      return answer(
        AdminError.NONE,
        [...cluster.topics.values()].map((topic) => ({
          topic: topic.name,
          partitionResult: topic.partitions
            .map((p) => ({ partitionId: p.partition, ...elect(cluster, topic.name, p.partition, type) }))
            .filter((result) => result.errorCode !== ELECTION_NOT_NEEDED),
        })),
      )
    }
    return answer(
      AdminError.NONE,
      request.topicPartitions.map(({ topic, partitions }) => ({
        topic,
        partitionResult: partitions.map((partitionId) => ({
          partitionId,
          ...elect(cluster, topic, partitionId, type),
        })),
      })),
    )
  },
})
