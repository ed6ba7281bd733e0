import { type DescribeClusterResponse, UnsupportedVersionError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { optionalBoolean, requireOptions } from '../arguments.js'
import { type AclOperationName, authorizedOperations } from '../authorized-operations.js'

export interface DescribeClusterOptions {
  /** Also report what the caller may do on the cluster (Java's includeAuthorizedOperations). Default false. */
  includeAuthorizedOperations?: boolean
  /** Also list brokers the controller has fenced (DescribeCluster v2, Kafka 4.0+). Default false. */
  includeFencedBrokers?: boolean
}

export interface ClusterBroker {
  nodeId: number
  host: string
  port: number
  /** The broker's `broker.rack`, or null when it has none. */
  rack: string | null
  /** Fenced by the controller (stopped or not heartbeating); only listed with includeFencedBrokers. */
  isFenced: boolean
}

export interface ClusterDescription {
  clusterId: string
  /** The node id of the active controller as the brokers see it, -1 when unknown (kafkajs's `controller`). */
  controller: number
  brokers: ClusterBroker[]
  /** What the caller may do on the cluster; undefined unless includeAuthorizedOperations was set. */
  authorizedOperations: AclOperationName[] | undefined
}

/**
 * DescribeCluster (Kafka 2.8+; Metadata before) to any broker: the brokers
 * with their racks, the controller and the cluster id.
 */
export async function describeCluster(
  router: AdminRouter,
  options: DescribeClusterOptions = {},
): Promise<ClusterDescription> {
  requireOptions(options, 'describeCluster() options', ['includeAuthorizedOperations', 'includeFencedBrokers'])
  const includeClusterAuthorizedOperations =
    optionalBoolean(options.includeAuthorizedOperations, 'describeCluster includeAuthorizedOperations') ?? false
  const includeFencedBrokers =
    optionalBoolean(options.includeFencedBrokers, 'describeCluster includeFencedBrokers') ?? false
  let response: DescribeClusterResponse
  try {
    response = await router.toAny(
      'DescribeCluster',
      (version) => ({
        includeClusterAuthorizedOperations,
        // Brokers (1), not controllers: a broker answers MISMATCHED_ENDPOINT_TYPE to the latter.
        endpointType: 1,
        includeFencedBrokers: includeFencedBrokers && version >= 2,
      }),
      (r) => r.errorCode,
    )
  } catch (error) {
    if (!(error instanceof UnsupportedVersionError)) throw error
    response = await fromMetadata(router, includeClusterAuthorizedOperations)
  }
  return {
    clusterId: response.clusterId,
    controller: response.controllerId,
    brokers: response.brokers.map((b) => ({
      nodeId: b.brokerId,
      host: b.host,
      port: b.port,
      rack: b.rack,
      isFenced: b.isFenced,
    })),
    authorizedOperations: includeClusterAuthorizedOperations
      ? authorizedOperations(response.clusterAuthorizedOperations)
      : undefined,
  }
}

/**
 * Brokers before Kafka 2.8 have no DescribeCluster: Java's admin client asks
 * Metadata for no topics instead, which has the same brokers, controller and
 * cluster id (and the cluster's authorized operations from v8 to v10).
 */
async function fromMetadata(router: AdminRouter, includeOperations: boolean): Promise<DescribeClusterResponse> {
  const metadata = await router.toAny('Metadata', (version) => ({
    topics: [],
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: includeOperations && version >= 8 && version <= 10,
    includeTopicAuthorizedOperations: false,
  }))
  return {
    throttleTimeMs: metadata.throttleTimeMs,
    errorCode: 0,
    errorMessage: null,
    endpointType: 1,
    clusterId: metadata.clusterId ?? '',
    controllerId: metadata.controllerId,
    brokers: metadata.brokers.map((b) => ({
      brokerId: b.nodeId,
      host: b.host,
      port: b.port,
      rack: b.rack,
      isFenced: false,
    })),
    clusterAuthorizedOperations: metadata.clusterAuthorizedOperations,
  }
}
