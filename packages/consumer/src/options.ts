import { InvalidMessageError } from '@kafkit/protocol'
import type { Assignor } from './assignors/types.js'

export type GroupProtocol = 'classic' | 'consumer'
export type AutoOffsetReset = 'latest' | 'earliest' | 'none'
export type IsolationLevel = 'read_uncommitted' | 'read_committed'
export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky'

/** Consumer options; every duration and size says its unit, defaults are the Java consumer's (4.1). */
export interface ConsumerOptions {
  /** The consumer group (Java's group.id); needed by subscribe() and by commits. */
  groupId?: string
  /** 'classic' (JoinGroup/SyncGroup) or 'consumer' (KIP-848). Default 'classic', as Java 4.1. */
  groupProtocol?: GroupProtocol
  /** Makes this a static member (KIP-345): a restart within the session timeout causes no rebalance. */
  groupInstanceId?: string
  /** How long the coordinator waits for a heartbeat before evicting the member (classic). Default 45 000. */
  sessionTimeoutMs?: number
  /** How often the member heartbeats (classic). Default 3000. */
  heartbeatIntervalMs?: number
  /** How long the coordinator waits for members to rejoin during a rebalance (classic). Default maxPollIntervalMs. */
  rebalanceTimeoutMs?: number
  /** Longest time between two polls before the member leaves the group so that others take its partitions. Default 300 000. */
  maxPollIntervalMs?: number
  /** Client-side assignors of the classic protocol, preferred first. Default ['range', 'cooperative-sticky']. */
  partitionAssigners?: readonly (AssignorName | Assignor)[]
  /** Server-side assignor of the consumer protocol: 'uniform' or 'range'; the broker's default when absent. */
  groupRemoteAssignor?: 'uniform' | 'range'
  /** Commit the offsets of processed records in the background, on revoke and on close. Default true. */
  autoCommit?: boolean
  /** How often offsets are auto-committed. Default 5000. */
  autoCommitIntervalMs?: number
  /** Where to start when there is no committed offset or it is out of range. Default 'latest'. */
  autoOffsetReset?: AutoOffsetReset
  /** 'read_committed' hides records of aborted transactions and stops at the last stable offset. Default 'read_uncommitted'. */
  isolationLevel?: IsolationLevel
  /** Bytes a broker waits for before answering a Fetch. Default 1. */
  minBytes?: number
  /** Most bytes in one Fetch response (a first batch larger than this is still returned). Default 52 428 800 (50 MiB). */
  maxBytes?: number
  /** Longest time a broker holds a Fetch waiting for minBytes. Default 500. */
  maxWaitMs?: number
  /** Most bytes per partition in one Fetch response. Default 1 048 576 (1 MiB). */
  maxPartitionFetchBytes?: number
  /**
   * Bytes of fetched records held by the consumer that the application has not
   * taken yet; beyond this no new Fetch is sent (backpressure). Default
   * 104 857 600 (100 MiB): two full fetches of the default maxBytes.
   */
  maxBufferedBytes?: number
  /** Most records one poll returns (Java's max.poll.records). Default 500. */
  maxPollRecords?: number
  /** This consumer's rack: with it, brokers may direct fetches to a replica in the same rack (KIP-392). */
  clientRack?: string
  /** How long to wait for a response to a request. Default 30 000. */
  requestTimeoutMs?: number
  /** First backoff between retries. Default 100. */
  retryBackoffMs?: number
  /** Backoff ceiling. Default 1000. */
  retryBackoffMaxMs?: number
}

export interface ResolvedConsumerOptions {
  groupId: string | undefined
  groupProtocol: GroupProtocol
  groupInstanceId: string | undefined
  sessionTimeoutMs: number
  heartbeatIntervalMs: number
  rebalanceTimeoutMs: number
  maxPollIntervalMs: number
  partitionAssigners: readonly (AssignorName | Assignor)[]
  groupRemoteAssignor: 'uniform' | 'range' | undefined
  autoCommit: boolean
  autoCommitIntervalMs: number
  autoOffsetReset: AutoOffsetReset
  isolationLevel: IsolationLevel
  minBytes: number
  maxBytes: number
  maxWaitMs: number
  maxPartitionFetchBytes: number
  maxBufferedBytes: number
  maxPollRecords: number
  clientRack: string
  requestTimeoutMs: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
}

const ASSIGNOR_NAMES: readonly AssignorName[] = ['range', 'roundrobin', 'sticky', 'cooperative-sticky']

function integer(options: ConsumerOptions, name: keyof ConsumerOptions, fallback: number, min: number): number {
  const value = options[name]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidMessageError(`${name} must be an integer >= ${min}; got ${String(value)}`)
  }
  return value
}

function oneOf<T extends string>(options: ConsumerOptions, name: keyof ConsumerOptions, allowed: readonly T[]) {
  const value = options[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new InvalidMessageError(
      `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${String(value)}`,
    )
  }
  return value as T
}

function optionalString(options: ConsumerOptions, name: keyof ConsumerOptions): string | undefined {
  const value = options[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidMessageError(`${name} must be a non-empty string; got ${String(value)}`)
  }
  return value
}

function boolean(options: ConsumerOptions, name: keyof ConsumerOptions, fallback: boolean): boolean {
  const value = options[name]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new InvalidMessageError(`${name} must be true or false; got ${String(value)}`)
  return value
}

function assigners(options: ConsumerOptions): readonly (AssignorName | Assignor)[] {
  const value = options.partitionAssigners
  if (value === undefined) return ['range', 'cooperative-sticky']
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidMessageError(
      `partitionAssigners must be a non-empty list of ${ASSIGNOR_NAMES.join(', ')} or Assignor objects`,
    )
  }
  for (const entry of value) {
    const ok =
      typeof entry === 'string'
        ? (ASSIGNOR_NAMES as readonly string[]).includes(entry)
        : entry !== null &&
          typeof entry === 'object' &&
          typeof entry.name === 'string' &&
          typeof entry.assign === 'function'
    if (!ok) {
      throw new InvalidMessageError(
        `partitionAssigners entries must be one of ${ASSIGNOR_NAMES.join(', ')} or an Assignor object; got ${String(entry)}`,
      )
    }
  }
  return value
}

/** Applies defaults and checks every option, naming the one to change. */
export function resolveConsumerOptions(options: ConsumerOptions = {}): ResolvedConsumerOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidMessageError('consumer options must be an object such as { groupId: "my-group" }')
  }
  const maxPollIntervalMs = integer(options, 'maxPollIntervalMs', 300_000, 1)
  const resolved: ResolvedConsumerOptions = {
    groupId: optionalString(options, 'groupId'),
    groupProtocol: oneOf(options, 'groupProtocol', ['classic', 'consumer'] as const) ?? 'classic',
    groupInstanceId: optionalString(options, 'groupInstanceId'),
    sessionTimeoutMs: integer(options, 'sessionTimeoutMs', 45_000, 1),
    heartbeatIntervalMs: integer(options, 'heartbeatIntervalMs', 3000, 1),
    rebalanceTimeoutMs: integer(options, 'rebalanceTimeoutMs', maxPollIntervalMs, 1),
    maxPollIntervalMs,
    partitionAssigners: assigners(options),
    groupRemoteAssignor: oneOf(options, 'groupRemoteAssignor', ['uniform', 'range'] as const),
    autoCommit: boolean(options, 'autoCommit', true),
    autoCommitIntervalMs: integer(options, 'autoCommitIntervalMs', 5000, 0),
    autoOffsetReset: oneOf(options, 'autoOffsetReset', ['latest', 'earliest', 'none'] as const) ?? 'latest',
    isolationLevel:
      oneOf(options, 'isolationLevel', ['read_uncommitted', 'read_committed'] as const) ?? 'read_uncommitted',
    minBytes: integer(options, 'minBytes', 1, 0),
    maxBytes: integer(options, 'maxBytes', 52_428_800, 1),
    maxWaitMs: integer(options, 'maxWaitMs', 500, 0),
    maxPartitionFetchBytes: integer(options, 'maxPartitionFetchBytes', 1_048_576, 1),
    maxBufferedBytes: integer(options, 'maxBufferedBytes', 104_857_600, 1),
    maxPollRecords: integer(options, 'maxPollRecords', 500, 1),
    clientRack: optionalString(options, 'clientRack') ?? '',
    requestTimeoutMs: integer(options, 'requestTimeoutMs', 30_000, 1),
    retryBackoffMs: integer(options, 'retryBackoffMs', 100, 0),
    retryBackoffMaxMs: integer(options, 'retryBackoffMaxMs', 1000, 0),
  }
  if (resolved.heartbeatIntervalMs >= resolved.sessionTimeoutMs) {
    throw new InvalidMessageError(
      `heartbeatIntervalMs (${resolved.heartbeatIntervalMs}) must be lower than sessionTimeoutMs (${resolved.sessionTimeoutMs}); Java advises a third of it`,
    )
  }
  if (resolved.groupInstanceId !== undefined && resolved.groupId === undefined) {
    throw new InvalidMessageError(`groupInstanceId "${resolved.groupInstanceId}" needs a groupId`)
  }
  return resolved
}
