/**
 * Fetch (key 1), versions 4-18 (topic ids from v13). Reads each partition from
 * its fetch offset up to the high watermark (the last stable offset for
 * read_committed, with the aborted transactions, producer id and first
 * offset, that the returned data may hold), within the request's and each
 * partition's byte limits;
 * the first batch is returned whole even when larger, and the last may be
 * cut short, as Kafka's segment reads do. Long polling: without minBytes of
 * data the fetch waits, woken by appends, until maxWaitMs passes or the
 * connection closes. Offsets outside [log start, log end] answer
 * OFFSET_OUT_OF_RANGE; currentLeaderEpoch fences (FENCED_LEADER_EPOCH,
 * UNKNOWN_LEADER_EPOCH); a lastFetchedEpoch that diverges gets divergingEpoch.
 * Below v11 only the leader serves a partition, from v11 any replica (KIP-392).
 * Fetch sessions (KIP-227, v7+) are kept per broker: see state/fetch-sessions.ts.
 */
import {
  Apis,
  createFetchResponse,
  type FetchRequest,
  type FetchResponseFetchableTopicResponse,
  type FetchResponseNodeEndpoint,
} from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import { ErrorCode } from '../state/data-errors.js'
import { type FetchPartition, fetchSessionsOf, type PartitionOutcome } from '../state/fetch-sessions.js'
import { availableBytes, locateFetched, type PartitionRead, readPartitions } from './fetch-read.js'
import { leaderHint } from './partition-lookup.js'

/** Kafka's fetch.max.bytes: a broker never returns more than this in one response. */
const BROKER_FETCH_MAX_BYTES = 57_671_680
const LEADER_HINT_VERSION = 16

function requestedPartitions(request: FetchRequest, context: RequestContext): FetchPartition[] {
  const byId = context.version >= 13
  return request.topics.flatMap((topic) => {
    const name = byId ? (context.cluster.topicsById.get(topic.topicId)?.name ?? '') : topic.topic
    return topic.partitions.map((p) => ({
      key: `${byId ? topic.topicId : topic.topic}:${p.partition}`,
      topic: name,
      topicId: byId ? topic.topicId : (context.cluster.topics.get(name)?.topicId ?? topic.topicId),
      partition: p.partition,
      fetchOffset: p.fetchOffset,
      partitionMaxBytes: p.partitionMaxBytes,
      currentLeaderEpoch: p.currentLeaderEpoch,
      lastFetchedEpoch: p.lastFetchedEpoch,
      sentHighWatermark: -1n,
      sentLogStartOffset: -1n,
    }))
  })
}

/** How long and for how many bytes a fetch may wait, with minBytes capped at the response limit as Kafka does. */
interface WaitLimits {
  maxWaitMs: number
  minBytes: number
  isolationLevel: number
}

/** Resolves when minBytes are readable, maxWaitMs has passed, or the connection closed. */
function waitForData(context: RequestContext, limits: WaitLimits, partitions: FetchPartition[]): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe: (() => void)[] = []
    const finish = () => {
      clearTimeout(timer)
      for (const stop of unsubscribe) stop()
      context.signal.removeEventListener('abort', finish)
      resolve()
    }
    const timer = setTimeout(finish, limits.maxWaitMs)
    context.signal.addEventListener('abort', finish, { once: true })
    const logs = new Set(
      partitions.flatMap((fetched) => {
        const partition = locateFetched(context, fetched)
        return typeof partition === 'number' ? [] : [partition.log]
      }),
    )
    const check = () => {
      if (availableBytes(context, partitions, limits.isolationLevel) >= limits.minBytes) finish()
    }
    for (const log of logs) unsubscribe.push(log.onAppend(check))
    if (context.signal.aborted) finish()
  })
}

/** Kafka answers at once when it need not wait, has enough, or hit an error or a divergence. */
function answersNow(limits: WaitLimits, partitions: FetchPartition[], reads: Map<string, PartitionRead>): boolean {
  if (limits.maxWaitMs <= 0 || partitions.length === 0) return true
  let bytes = 0
  for (const read of reads.values()) {
    if (read.outcome.errorCode !== ErrorCode.NONE || read.outcome.diverging) return true
    bytes += read.outcome.recordBytes
  }
  return bytes >= limits.minBytes
}

export const fetchHandler = defineHandler({
  api: 'Fetch',
  minVersion: Apis.Fetch.minVersion,
  maxVersion: Apis.Fetch.maxVersion,
  async handle(request, context) {
    const byId = context.version >= 13
    const sessions = fetchSessionsOf(context.broker)
    const fetchContext = sessions.newContext(
      {
        sessionId: request.sessionId,
        sessionEpoch: request.sessionEpoch,
        usesTopicIds: byId,
        partitions: requestedPartitions(request, context),
        forgotten: request.forgottenTopicsData.flatMap((t) =>
          t.partitions.map((p) => `${byId ? t.topicId : t.topic}:${p}`),
        ),
      },
      Date.now(),
    )
    if (fetchContext.kind === 'error') return createFetchResponse({ errorCode: fetchContext.errorCode, sessionId: 0 })
    const partitions = fetchContext.partitions
    const maxBytes = Math.min(request.maxBytes, BROKER_FETCH_MAX_BYTES)
    const limits = {
      maxWaitMs: request.maxWaitMs,
      minBytes: Math.min(request.minBytes, maxBytes),
      isolationLevel: request.isolationLevel,
    }
    let reads = readPartitions(context, partitions, maxBytes, request.isolationLevel)
    if (!answersNow(limits, partitions, reads)) {
      await waitForData(context, limits, partitions)
      // Nobody is left to answer: the connection closed while the fetch waited.
      if (context.signal.aborted) return null
      reads = readPartitions(context, partitions, maxBytes, request.isolationLevel)
    }
    const outcomes = new Map<string, PartitionOutcome>([...reads].map(([key, read]) => [key, read.outcome]))
    const { sessionId, include } = sessions.complete(fetchContext, outcomes, Date.now())
    const responses: FetchResponseFetchableTopicResponse[] = []
    const endpoints = new Map<number, FetchResponseNodeEndpoint>()
    for (const fetched of include) {
      const data = reads.get(fetched.key)!.data
      if (context.version >= LEADER_HINT_VERSION && isLeaderError(data.errorCode)) {
        const topic = context.cluster.topics.get(fetched.topic)
        const hint = leaderHint(context, topic?.partitions[fetched.partition])
        data.currentLeader = { leaderId: hint.leaderId, leaderEpoch: hint.leaderEpoch }
        if (hint.endpoint) endpoints.set(hint.endpoint.nodeId, hint.endpoint)
      }
      // Consecutive partitions of one topic share its entry, as Kafka's FetchResponse.of groups them.
      const last = responses.at(-1)
      if (last && (byId ? last.topicId === fetched.topicId : last.topic === fetched.topic)) last.partitions.push(data)
      else responses.push({ topic: fetched.topic, topicId: fetched.topicId, partitions: [data] })
    }
    return createFetchResponse({ sessionId, responses, nodeEndpoints: [...endpoints.values()] })
  },
})

function isLeaderError(code: number): boolean {
  return code === ErrorCode.NOT_LEADER_OR_FOLLOWER || code === ErrorCode.FENCED_LEADER_EPOCH
}
