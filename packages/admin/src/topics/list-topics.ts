import { type MetadataResponse, ZERO_UUID } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { optionalBoolean, requireOptions } from '../arguments.js'

export interface ListTopicsOptions {
  /** Include internal topics (__consumer_offsets, __transaction_state...). Default false, as in Java. */
  listInternal?: boolean
}

/** One topic of the cluster (Java's TopicListing). */
export interface TopicListing {
  name: string
  topicId: string
  isInternal: boolean
}

/** Metadata for some topics (by name) or, with undefined, for all of them. */
export function topicMetadata(
  router: AdminRouter,
  names: readonly string[] | undefined,
  includeTopicAuthorizedOperations = false,
): Promise<MetadataResponse> {
  return router.toAny('Metadata', {
    topics: names === undefined ? null : names.map((name) => ({ name, topicId: ZERO_UUID })),
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations,
  })
}

/** Every topic of the cluster with its id and whether it is internal, sorted by name. */
export async function listTopicListings(router: AdminRouter, options: ListTopicsOptions = {}): Promise<TopicListing[]> {
  requireOptions(options, 'listTopics()', ['listInternal'])
  const listInternal = optionalBoolean(options.listInternal, 'listTopics listInternal') ?? false
  const response = await topicMetadata(router, undefined)
  return response.topics
    .filter((topic) => topic.errorCode === 0 && topic.name !== null && (listInternal || !topic.isInternal))
    .map((topic) => ({ name: topic.name!, topicId: topic.topicId, isInternal: topic.isInternal }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The names of every topic (kafkajs's listTopics, `kafka-topics --list`). */
export async function listTopics(router: AdminRouter, options: ListTopicsOptions = {}): Promise<string[]> {
  return (await listTopicListings(router, options)).map((topic) => topic.name)
}
