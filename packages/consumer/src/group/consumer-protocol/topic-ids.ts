import type { KafkaClient } from '@kafkit/client'
import { createMetadataRequest } from '@kafkit/protocol'

/**
 * Names of the topic ids a KIP-848 assignment uses, from the client's
 * metadata; ids the cache does not know trigger one metadata request for
 * every topic (a regex subscription may name topics the client never asked
 * about). Ids still unknown after that stay out of the result: the caller
 * tries again on a later heartbeat, as Java's reconciliation waits for metadata.
 */
export async function resolveTopicIds(
  client: KafkaClient,
  topicIds: Iterable<string>,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const wanted = [...topicIds]
  const lookup = () => {
    const names = new Map<string, string>()
    for (const topic of client.cluster.metadata.topics) names.set(topic.topicId, topic.name)
    return names
  }
  let known = lookup()
  if (wanted.every((id) => known.has(id))) return known
  const response = await client.cluster.requestAny('Metadata', createMetadataRequest({ topics: null }), { signal })
  client.cluster.metadata.update(response, true)
  known = lookup()
  const names = wanted.flatMap((id) => {
    const name = known.get(id)
    return name === undefined ? [] : [name]
  })
  // Keep these topics in the cluster's periodic refresh.
  if (names.length > 0) await client.cluster.refreshMetadata({ topics: names, signal })
  return lookup()
}
