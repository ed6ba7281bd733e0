import { type CreatePartitionsResponse, InvalidMessageError } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import {
  optionalBoolean,
  optionalInteger,
  requireInteger,
  requireName,
  requireNonEmptyArray,
  requireOptions,
} from '../arguments.js'
import { settleEntries } from '../entry-outcomes.js'
import { controllerOutcome, refreshController } from './controller-outcome.js'
import { waitForLeaders as waitForTopicLeaders } from './wait-for-leaders.js'

/** kafkajs's ITopicPartitionConfig: grow `topic` to `count` partitions. */
export interface NewPartitions {
  topic: string
  /** The new total partition count (not the number to add). */
  count: number
  /** The replicas of each new partition, in order (the first is the preferred leader); default: the broker places them. */
  assignments?: readonly (readonly number[])[]
}

export interface CreatePartitionsRequest {
  topicPartitions: readonly NewPartitions[]
  /** Check the change without making it. Default false. */
  validateOnly?: boolean
  /** How long the controller may take, in milliseconds. Default 30 000. */
  timeoutMs?: number
  /** Resolve only once the brokers show the new partitions with leaders, so the next call finds them. Default true. */
  waitForLeaders?: boolean
}

export interface CreatedPartitions {
  topic: string
  count: number
}

/**
 * CreatePartitions on the controller (`kafka-topics --alter --partitions`).
 * Kafka only adds partitions: a count at or below the current one fails as
 * InvalidPartitionsError, naming the current count.
 */
export async function createPartitions(
  router: AdminRouter,
  request: CreatePartitionsRequest,
): Promise<CreatedPartitions[]> {
  requireOptions(request, 'createPartitions()', ['topicPartitions', 'validateOnly', 'timeoutMs', 'waitForLeaders'])
  const entries = requireNonEmptyArray(
    request.topicPartitions,
    'createPartitions topicPartitions',
    "[{ topic: 'orders', count: 6 }]",
  )
  const validateOnly = optionalBoolean(request.validateOnly, 'createPartitions validateOnly') ?? false
  const timeoutMs = optionalInteger(request.timeoutMs, 'createPartitions timeoutMs', 1) ?? 30_000
  const waitForLeaders = optionalBoolean(request.waitForLeaders, 'createPartitions waitForLeaders') ?? true
  const byTopic = new Map<string, { count: number; assignments: { brokerIds: number[] }[] | null }>()
  entries.forEach((entry, i) => {
    const what = `createPartitions topicPartitions[${i}]`
    requireOptions(entry, what, ['topic', 'count', 'assignments'])
    const topic = requireName(entry.topic, `${what}.topic`)
    if (byTopic.has(topic)) throw new InvalidMessageError(`createPartitions names topic "${topic}" twice`)
    const count = requireInteger(entry.count, `${what}.count`, 1)
    const assignments =
      entry.assignments === undefined
        ? null
        : requireNonEmptyArray(entry.assignments, `${what}.assignments`, '[[1, 2], [2, 3]]').map((replicas, j) => ({
            brokerIds: [...requireNonEmptyArray(replicas, `${what}.assignments[${j}]`, '[1, 2]')].map((id, k) =>
              requireInteger(id, `${what}.assignments[${j}][${k}]`, 0),
            ),
          }))
    byTopic.set(topic, { count, assignments })
  })
  const { succeeded, failures } = await settleEntries(
    router,
    [...byTopic.keys()],
    (topic) => topic,
    async (pending) => {
      const response: CreatePartitionsResponse = await router.toController('CreatePartitions', {
        topics: pending.map((name) => ({ name, ...byTopic.get(name)! })),
        timeoutMs,
        validateOnly,
      })
      return new Map(
        response.results.map((r) => [
          r.name,
          controllerOutcome('CreatePartitions', r.name, r.errorCode, r.errorMessage, () => ({
            topic: r.name,
            count: byTopic.get(r.name)?.count ?? -1,
          })),
        ]),
      )
    },
    (errors) => refreshController(router, errors),
  )
  if (waitForLeaders && !validateOnly) {
    await waitForTopicLeaders(router, new Map([...succeeded.values()].map(({ topic, count }) => [topic, count])))
  }
  return unlessFailures('createPartitions', failures, [...succeeded.values()])
}
