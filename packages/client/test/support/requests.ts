/** Request bodies the fault tests send, built with @kafkit/protocol's factories. */
import {
  createListOffsetsRequest,
  createListOffsetsRequestListOffsetsPartition,
  createListOffsetsRequestListOffsetsTopic,
  createMetadataRequest,
  createMetadataRequestMetadataRequestTopic,
  createProduceRequest,
  createProduceRequestPartitionProduceData,
  createProduceRequestTopicProduceData,
  type ListOffsetsRequest,
  type MetadataRequest,
  type ProduceRequest,
} from '@kafkit/protocol'

/** Metadata for some topics by name; the fake answers with the same names, so a response shows which request it answers. */
export function metadataFor(...topics: string[]): MetadataRequest {
  return createMetadataRequest({ topics: topics.map((name) => createMetadataRequestMetadataRequestTopic({ name })) })
}

/** The latest offset of one partition. */
export function latestOffsetOf(topic: string, partition = 0): ListOffsetsRequest {
  return createListOffsetsRequest({
    replicaId: -1,
    topics: [
      createListOffsetsRequestListOffsetsTopic({
        name: topic,
        partitions: [createListOffsetsRequestListOffsetsPartition({ partitionIndex: partition, timestamp: -1n })],
      }),
    ],
  })
}

/** A Produce to one partition with no records (the fake does not read them). */
export function produceTo(topic: string, acks: number): ProduceRequest {
  return createProduceRequest({
    acks,
    timeoutMs: 1000,
    topicData: [
      createProduceRequestTopicProduceData({
        name: topic,
        partitionData: [createProduceRequestPartitionProduceData({ index: 0, records: null })],
      }),
    ],
  })
}
