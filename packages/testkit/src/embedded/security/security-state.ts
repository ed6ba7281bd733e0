import type { ClusterState } from '../state/cluster-state.js'
import { Authorizer, type AuthorizerOptions } from './authorizer.js'
import { ClientQuotaStore } from './client-quotas.js'
import { ScramStore } from './scram-store.js'

/**
 * What an embedded cluster keeps about security: its authorizer and ACLs
 * (undefined when ACLs are off, the default, as in a Kafka without
 * authorizer.class.name), SCRAM credentials and client quotas. It hangs off
 * the ClusterState through a WeakMap, as the group coordinator does.
 */
export interface SecurityState {
  authorizer: Authorizer | undefined
  readonly scram: ScramStore
  readonly quotas: ClientQuotaStore
}

const states = new WeakMap<ClusterState, SecurityState>()

export function configureSecurity(
  cluster: ClusterState,
  options: { authorizer?: AuthorizerOptions; users?: { username: string; password: string }[] },
): SecurityState {
  const state: SecurityState = {
    authorizer: options.authorizer ? new Authorizer(options.authorizer) : undefined,
    scram: new ScramStore(options.users),
    quotas: new ClientQuotaStore(),
  }
  states.set(cluster, state)
  return state
}

export function securityOf(cluster: ClusterState): SecurityState {
  return states.get(cluster) ?? configureSecurity(cluster, {})
}

/** Every embedded client connects from this host: the brokers listen on 127.0.0.1 only. */
export const CLIENT_HOST = '127.0.0.1'
