import {
  type FetchRequestFetchTopic,
  type FetchRequestForgottenTopic,
  type FetchResponse,
  ZERO_UUID,
} from '@kafkit/protocol'

/** What one partition asks of a broker; the session sends it again only when a field changes. */
export interface SessionPartition {
  topic: string
  topicId: string
  partition: number
  fetchOffset: bigint
  currentLeaderEpoch: number
  lastFetchedEpoch: number
  partitionMaxBytes: number
}

const FETCH_SESSION_ID_NOT_FOUND = 70
const INVALID_FETCH_SESSION_EPOCH = 71
const FETCH_SESSION_TOPIC_ID_ERROR = 106
const INITIAL_EPOCH = 0

function same(a: SessionPartition, b: SessionPartition): boolean {
  return (
    a.fetchOffset === b.fetchOffset &&
    a.currentLeaderEpoch === b.currentLeaderEpoch &&
    a.lastFetchedEpoch === b.lastFetchedEpoch &&
    a.partitionMaxBytes === b.partitionMaxBytes &&
    a.topicId === b.topicId
  )
}

/** One Fetch request's session fields and partitions, built by `FetchSession.build`. */
export interface SessionRequest {
  sessionId: number
  sessionEpoch: number
  full: boolean
  topics: FetchRequestFetchTopic[]
  forgottenTopicsData: FetchRequestForgottenTopic[]
  /** Every partition the request covers (sent or carried by the session). */
  partitions: ReadonlyMap<string, SessionPartition>
}

/**
 * The client side of a KIP-227 fetch session with one broker, as Java's
 * FetchSessionHandler: the first request is full (epoch 0 asks the broker for
 * a session); once the broker gives an id, each request carries only the
 * partitions that are new or changed, and those dropped as forgotten. Any
 * session error falls back to a full fetch that opens a new session.
 */
export class FetchSession {
  #sessionId = 0
  #epoch = INITIAL_EPOCH
  /** What the broker's session holds, as of the last successful response. */
  #session = new Map<string, SessionPartition>()
  /** Full and incremental requests sent, for tests and metrics. */
  fullRequests = 0
  incrementalRequests = 0

  get sessionId(): number {
    return this.#sessionId
  }

  build(wanted: readonly SessionPartition[], useTopicIds: boolean): SessionRequest {
    const partitions = new Map(wanted.map((p) => [`${p.topic}:${p.partition}`, p]))
    const full = this.#sessionId === 0 || this.#epoch === INITIAL_EPOCH
    const send: SessionPartition[] = []
    const forgotten: SessionPartition[] = []
    if (full) send.push(...wanted)
    else {
      for (const [key, p] of partitions) {
        const known = this.#session.get(key)
        if (!known || !same(known, p)) send.push(p)
      }
      for (const [key, p] of this.#session) if (!partitions.has(key)) forgotten.push(p)
    }
    if (full) this.fullRequests++
    else this.incrementalRequests++
    return {
      sessionId: this.#sessionId,
      sessionEpoch: this.#epoch,
      full,
      topics: groupByTopic(send, useTopicIds).map(([first, list]) => ({
        topic: useTopicIds ? '' : first.topic,
        topicId: first.topicId,
        partitions: list.map((p) => ({
          partition: p.partition,
          currentLeaderEpoch: p.currentLeaderEpoch,
          fetchOffset: p.fetchOffset,
          lastFetchedEpoch: p.lastFetchedEpoch,
          logStartOffset: -1n,
          partitionMaxBytes: p.partitionMaxBytes,
          replicaDirectoryId: ZERO_UUID,
          highWatermark: -1n,
        })),
      })),
      forgottenTopicsData: groupByTopic(forgotten, useTopicIds).map(([first, list]) => ({
        topic: useTopicIds ? '' : first.topic,
        topicId: first.topicId,
        partitions: list.map((p) => p.partition),
      })),
      partitions,
    }
  }

  /** Takes the response to `request`; false when it was a session error (the next request is full). */
  handleResponse(request: SessionRequest, response: FetchResponse): boolean {
    const code = response.errorCode
    if (
      code === FETCH_SESSION_ID_NOT_FOUND ||
      code === INVALID_FETCH_SESSION_EPOCH ||
      code === FETCH_SESSION_TOPIC_ID_ERROR
    ) {
      this.reset()
      return false
    }
    if (code !== 0) {
      // Another top-level error: Java closes the session and starts over with a full fetch.
      this.reset()
      return true
    }
    if (request.full) {
      this.#session = new Map(request.partitions)
      if (response.sessionId === 0) {
        // The broker keeps no session for us (cache full, or too few partitions): stay sessionless.
        this.#sessionId = 0
        this.#epoch = INITIAL_EPOCH
      } else {
        this.#sessionId = response.sessionId
        this.#epoch = 1
      }
    } else {
      this.#session = new Map(request.partitions)
      this.#epoch = this.#epoch >= 0x7fffffff ? 1 : this.#epoch + 1
    }
    return true
  }

  /** After a failed request (connection error, timeout): the broker's view is unknown, so start over. */
  reset(): void {
    this.#sessionId = 0
    this.#epoch = INITIAL_EPOCH
    this.#session.clear()
  }
}

function groupByTopic(
  partitions: readonly SessionPartition[],
  useTopicIds: boolean,
): [SessionPartition, SessionPartition[]][] {
  const groups = new Map<string, SessionPartition[]>()
  for (const p of partitions) {
    const key = useTopicIds ? p.topicId : p.topic
    const list = groups.get(key)
    if (list) list.push(p)
    else groups.set(key, [p])
  }
  return [...groups.values()].map((list) => [list[0]!, list])
}
