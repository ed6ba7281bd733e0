import { errorFromCode, InvalidMessageError, type KafkaError } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { requireInteger } from '../arguments.js'
import { perBroker, perEntry } from '../per-entry.js'

export interface ReplicaLogInfo {
  topic: string
  partition: number
  /** Bytes of the replica's log segments. */
  sizeBytes: bigint
  /** How far the log end is behind the high watermark (or, for a future log, the current log's end). */
  offsetLag: bigint
  /** A log being moved here by AlterReplicaLogDirs, to replace the current one. */
  isFuture: boolean
}

export interface LogDirDescription {
  /** The directory's absolute path on the broker. */
  path: string
  /** Set when the directory is offline (KafkaStorageError) or could not be described. */
  error: KafkaError | undefined
  /** Size of the directory's volume in bytes (DescribeLogDirs v4, Kafka 3.3+); undefined when not reported. */
  totalBytes: bigint | undefined
  /** Bytes free for the broker on that volume; undefined when not reported. */
  usableBytes: bigint | undefined
  replicas: ReplicaLogInfo[]
}

export interface BrokerLogDirs {
  broker: number
  logDirs: LogDirDescription[]
}

/**
 * DescribeLogDirs to each broker (default: every broker in the metadata), as
 * Java's describeLogDirs: each log directory with its replicas' sizes and the
 * volume's total and usable bytes. A broker that fails is named `BROKER:<id>`
 * in the AdminPartialFailureError; the others' results are in `succeeded`.
 */
export async function describeLogDirs(router: AdminRouter, brokers?: readonly number[]): Promise<BrokerLogDirs[]> {
  if (brokers !== undefined && !Array.isArray(brokers)) {
    throw new InvalidMessageError(
      `describeLogDirs brokers must be an array of node ids, e.g. [1, 2]; got ${String(brokers)}`,
    )
  }
  const describe = async (broker: number): Promise<BrokerLogDirs> => {
    // Null topics: every partition the broker holds.
    const response = await router.toBroker(broker, 'DescribeLogDirs', { topics: null }, (r) => r.errorCode)
    return {
      broker,
      logDirs: response.results.map((dir) => ({
        path: dir.logDir,
        error: errorFromCode(dir.errorCode, { api: 'DescribeLogDirs', broker: String(broker), entity: dir.logDir }),
        totalBytes: dir.totalBytes < 0n ? undefined : dir.totalBytes,
        usableBytes: dir.usableBytes < 0n ? undefined : dir.usableBytes,
        replicas: dir.topics.flatMap((topic) =>
          topic.partitions.map((p) => ({
            topic: topic.name,
            partition: p.partitionIndex,
            sizeBytes: p.partitionSize,
            offsetLag: p.offsetLag,
            isFuture: p.isFutureKey,
          })),
        ),
      })),
    }
  }
  const { succeeded: byBroker, failures } =
    brokers === undefined
      ? await perBroker(router, describe)
      : await perEntry(
          [...new Set(brokers.map((id, i) => requireInteger(id, `describeLogDirs brokers[${i}]`, 0)))].sort(
            (a, b) => a - b,
          ),
          (broker) => `BROKER:${broker}`,
          describe,
        )
  const succeeded = [...byBroker.values()]
  return unlessFailures('describeLogDirs', failures, succeeded)
}
