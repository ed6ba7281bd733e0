import { decodeConsumerProtocolSubscription, Reader } from '@kafkit/protocol'

/** The protocol type of Java-compatible consumers, whose member metadata is a ConsumerProtocolSubscription. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer'

/**
 * The topics a consumer's member metadata subscribes to, or undefined when the
 * bytes are not a ConsumerProtocolSubscription. Every version starts with the
 * version 0 fields, so, as Kafka does, version 0 is read whatever the version
 * says: the coordinator needs only the topics, and future versions stay readable.
 */
export function subscribedTopics(metadata: Buffer): string[] | undefined {
  try {
    const reader = new Reader(metadata)
    reader.int16()
    return decodeConsumerProtocolSubscription(reader, 0).topics
  } catch {
    return undefined
  }
}
