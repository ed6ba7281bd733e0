/**
 * DescribeCluster (key 60), versions 0-2. The running brokers with their
 * racks and the ports of the listener the request came through, the
 * controller id and the cluster id. From v1 the request names an endpoint
 * type: brokers (1) are served, controllers (2) answer MISMATCHED_ENDPOINT_TYPE
 * as a broker does, anything else UNSUPPORTED_ENDPOINT_TYPE. From v2
 * includeFencedBrokers adds stopped brokers, marked fenced (Kafka fences a
 * broker that stops heartbeating). There is no authorizer, so the authorized
 * operations, when asked for, are all of them.
 */
import { Apis, type DescribeClusterResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { AdminError, ALL_CLUSTER_OPERATIONS, AUTHORIZED_OPERATIONS_OMITTED } from './admin-errors.js'

const BROKERS = 1
const CONTROLLERS = 2

export const describeClusterHandler = defineHandler({
  api: 'DescribeCluster',
  minVersion: Apis.DescribeCluster.minVersion,
  maxVersion: Apis.DescribeCluster.maxVersion,
  handle(request, { cluster, version, listener }): DescribeClusterResponse {
    const endpointType = version >= 1 ? request.endpointType : BROKERS
    const answer = {
      throttleTimeMs: 0,
      errorCode: AdminError.NONE,
      errorMessage: null,
      endpointType: BROKERS,
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId,
      brokers: [] as DescribeClusterResponse['brokers'],
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? ALL_CLUSTER_OPERATIONS
        : AUTHORIZED_OPERATIONS_OMITTED,
    }
    if (endpointType !== BROKERS) {
      const mismatched = endpointType === CONTROLLERS
      return {
        ...answer,
        errorCode: mismatched ? AdminError.MISMATCHED_ENDPOINT_TYPE : AdminError.UNSUPPORTED_ENDPOINT_TYPE,
        errorMessage: mismatched
          ? 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER'
          : `Unsupported endpoint type ${endpointType}`,
        clusterId: '',
        controllerId: -1,
      }
    }
    const includeFenced = version >= 2 && request.includeFencedBrokers
    const brokers = cluster.brokers
      .filter((broker) => broker.running || includeFenced)
      .map((broker) => ({
        brokerId: broker.nodeId,
        host: broker.host,
        port: broker.ports[listener] ?? -1,
        rack: broker.rack,
        isFenced: !broker.running,
      }))
    return { ...answer, brokers }
  },
})
