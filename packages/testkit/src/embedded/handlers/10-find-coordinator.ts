/**
 * FindCoordinator (key 10), versions 0-6, group and transaction keys, batched
 * from v4. The coordinator of a key is the running broker its hash picks, so
 * different groups land on different brokers and clients must route to them.
 * The answer uses the ports of the listener the request came through.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { ClusterState } from '../state/cluster-state.js'

const COORDINATOR_NOT_AVAILABLE = 15
const INVALID_REQUEST = 42

/** Kafka's String.hashCode-like spread, stable across runs. */
function keyHash(key: string): number {
  let hash = 0
  for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0
  return hash & 0x7fffffff
}

export function coordinatorFor(cluster: ClusterState, key: string): number {
  const running = cluster.runningBrokers()
  return running.length === 0 ? -1 : running[keyHash(key) % running.length]!.nodeId
}

export const findCoordinatorHandler = defineHandler({
  api: 'FindCoordinator',
  minVersion: Apis.FindCoordinator.minVersion,
  maxVersion: Apis.FindCoordinator.maxVersion,
  handle(request, { cluster, version, listener }) {
    const answer = (key: string) => {
      if (request.keyType !== 0 && request.keyType !== 1) {
        return {
          key,
          nodeId: -1,
          host: '',
          port: -1,
          errorCode: INVALID_REQUEST,
          errorMessage: `unknown key type ${request.keyType}`,
        }
      }
      const nodeId = coordinatorFor(cluster, key)
      const broker = cluster.broker(nodeId)
      if (!broker)
        return { key, nodeId: -1, host: '', port: -1, errorCode: COORDINATOR_NOT_AVAILABLE, errorMessage: null }
      return { key, nodeId, host: broker.host, port: broker.ports[listener] ?? -1, errorCode: 0, errorMessage: null }
    }
    if (version >= 4) {
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        nodeId: 0,
        host: '',
        port: 0,
        coordinators: request.coordinatorKeys.map(answer),
      }
    }
    const single = answer(request.key)
    return {
      throttleTimeMs: 0,
      errorCode: single.errorCode,
      errorMessage: single.errorMessage,
      nodeId: single.nodeId,
      host: single.host,
      port: single.port,
      coordinators: [],
    }
  },
})
