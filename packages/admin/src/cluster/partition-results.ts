import { errorFromCode } from '@kafkit/protocol'
import { type AdminEntryFailure, unlessFailures } from '../admin-error.js'
import type { TopicPartition } from '../groups/topic-partitions.js'

/** One partition's answer in the shape ElectLeaders and AlterPartitionReassignments share. */
export interface PartitionAnswer {
  topic: string
  partition: number
  errorCode: number
  errorMessage: string | null
}

/**
 * The partitions that succeeded, or AdminPartialFailureError naming each
 * `topic-partition` that failed with its typed error and the broker's message.
 */
export function partitionResults(
  operation: string,
  api: string,
  answers: readonly PartitionAnswer[],
): TopicPartition[] {
  const succeeded: TopicPartition[] = []
  const failures: AdminEntryFailure[] = []
  for (const { topic, partition, errorCode, errorMessage } of answers) {
    const entry = `${topic}-${partition}`
    const error = errorFromCode(errorCode, { api, entity: entry, detail: errorMessage || undefined })
    if (error) failures.push({ entry, error })
    else succeeded.push({ topic, partition })
  }
  return unlessFailures(operation, failures, succeeded)
}
