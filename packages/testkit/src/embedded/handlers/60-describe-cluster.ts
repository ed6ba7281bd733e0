/**
 * DescribeCluster (key 60), versions 0-2. The running brokers with their
 * racks and the ports of the listener the request came through, the
 * controller id and the cluster id. From v1 the request names an endpoint
 * type: brokers (1) are served, controllers (2) answer MISMATCHED_ENDPOINT_TYPE
 * as a broker does, anything else UNSUPPORTED_ENDPOINT_TYPE. From v2
 * includeFencedBrokers adds stopped brokers, marked fenced (Kafka fences a
 * broker that stops heartbeating). The cluster authorized operations, when
 * asked for, are those the ACLs allow the principal (0 without cluster
 * DESCRIBE, all of them with ACLs off); Kafka refuses nobody DescribeCluster.
 */
import { Apis, type DescribeClusterResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { clusterAuthorizedOperations } from '../security/authorized-operations.js'
import { AdminError, AUTHORIZED_OPERATIONS_OMITTED } from './admin-errors.js'

const BROKERS = 1
const CONTROLLERS = 2

export const describeClusterHandler = defineHandler({
  api: 'DescribeCluster',
  minVersion: Apis.DescribeCluster.minVersion,
  maxVersion: Apis.DescribeCluster.maxVersion,
  handle(request, context): DescribeClusterResponse {
    const { cluster, version, listener } = context
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
        ? clusterAuthorizedOperations(context)
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
