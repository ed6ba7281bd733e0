import {
  type ApiMessages,
  type ApiName,
  Apis,
  createFetchResponse,
  createFetchResponseFetchableTopicResponse,
  createFetchResponsePartitionData,
  createFindCoordinatorResponse,
  createFindCoordinatorResponseCoordinator,
  createListOffsetsResponse,
  createListOffsetsResponseListOffsetsPartitionResponse,
  createListOffsetsResponseListOffsetsTopicResponse,
  createMetadataResponse,
  createMetadataResponseMetadataResponseTopic,
  createProduceResponse,
  createProduceResponsePartitionProduceResponse,
  createProduceResponseTopicProduceResponse,
} from '@kafkit/protocol'

/**
 * A response to `request` in which every entity carries `errorCode`, as Java's
 * AbstractRequest.getErrorResponse builds it: per partition for Produce, Fetch
 * and ListOffsets, per topic for Metadata, per key for batched FindCoordinator,
 * at the top level for the rest. Tests use it to inject an error into a request.
 */
export function errorResponse<N extends ApiName>(
  api: N,
  version: number,
  request: ApiMessages[N]['request'],
  errorCode: number,
): unknown {
  switch (api) {
    case 'Produce': {
      const req = request as ApiMessages['Produce']['request']
      return createProduceResponse({
        responses: req.topicData.map((t) =>
          createProduceResponseTopicProduceResponse({
            name: t.name,
            topicId: t.topicId,
            partitionResponses: t.partitionData.map((p) =>
              createProduceResponsePartitionProduceResponse({ index: p.index, errorCode, baseOffset: -1n }),
            ),
          }),
        ),
      })
    }
    case 'Fetch': {
      const req = request as ApiMessages['Fetch']['request']
      return createFetchResponse({
        responses: req.topics.map((t) =>
          createFetchResponseFetchableTopicResponse({
            topic: t.topic,
            topicId: t.topicId,
            partitions: t.partitions.map((p) =>
              createFetchResponsePartitionData({ partitionIndex: p.partition, errorCode, highWatermark: -1n }),
            ),
          }),
        ),
      })
    }
    case 'ListOffsets': {
      const req = request as ApiMessages['ListOffsets']['request']
      return createListOffsetsResponse({
        topics: req.topics.map((t) =>
          createListOffsetsResponseListOffsetsTopicResponse({
            name: t.name,
            partitions: t.partitions.map((p) =>
              createListOffsetsResponseListOffsetsPartitionResponse({ partitionIndex: p.partitionIndex, errorCode }),
            ),
          }),
        ),
      })
    }
    case 'Metadata': {
      const req = request as ApiMessages['Metadata']['request']
      return createMetadataResponse({
        topics: (req.topics ?? []).map((t) =>
          createMetadataResponseMetadataResponseTopic({ name: t.name, topicId: t.topicId, errorCode }),
        ),
      })
    }
    case 'FindCoordinator': {
      const req = request as ApiMessages['FindCoordinator']['request']
      // v4+ answers per key; older versions carry one answer at the top level.
      return version >= 4
        ? createFindCoordinatorResponse({
            coordinators: req.coordinatorKeys.map((key) =>
              createFindCoordinatorResponseCoordinator({ key, nodeId: -1, port: -1, errorCode }),
            ),
          })
        : createFindCoordinatorResponse({ errorCode, nodeId: -1, port: -1 })
    }
    default: {
      const response = Apis[api].response.create() as Record<string, unknown>
      if (!('errorCode' in response)) {
        throw new Error(`cannot inject an error code into a ${api} response: answer with { response } instead`)
      }
      response.errorCode = errorCode
      return response
    }
  }
}
