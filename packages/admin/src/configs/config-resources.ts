import type { RequestBody } from '@kafkit/client'
import { type ApiMessages, type ApiName, errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { describe, requireOptions } from '../arguments.js'
import { type EntryOutcome, type SettledEntries, settleEntries } from '../entry-outcomes.js'
import { type ConfigResourceType, RESOURCE_TYPE_CODES, resourceEntry } from './config-entry.js'

/** A resource whose configs are described or altered: a topic by name, a broker by id ('' for the cluster default). */
export interface ConfigResource {
  type: ConfigResourceType
  name: string
}

/** A resource with its type code, as the requests carry it. */
export interface CheckedResource extends ConfigResource {
  typeCode: number
  /** The broker that must answer, or undefined for any broker. */
  broker: number | undefined
}

/** What a resource's answer carries, as DescribeConfigs and the alter APIs give it. */
interface ResourceAnswer {
  errorCode: number
  errorMessage: string | null
  resourceType: number
  resourceName: string
}

/**
 * Checks a resource argument and works out where it must go: broker and
 * broker-logger configs of one broker to that broker (as Java's admin
 * client, which sends them there), everything else (topics, the cluster-wide
 * broker default '') to any broker.
 */
export function checkResource(resource: ConfigResource, what: string, allowed: readonly string[]): CheckedResource {
  requireOptions(resource, what, allowed)
  const typeCode = RESOURCE_TYPE_CODES[resource.type]
  if (typeCode === undefined) {
    throw new InvalidMessageError(
      `${what}.type must be one of ${Object.keys(RESOURCE_TYPE_CODES).join(', ')} (ConfigResourceTypes); got ${describe(resource.type)}`,
    )
  }
  if (typeof resource.name !== 'string') {
    throw new InvalidMessageError(
      `${what}.name must be a string (a topic name, or a broker id like '1'); got ${describe(resource.name)}`,
    )
  }
  const perBroker = resource.type === 'broker' || resource.type === 'broker-logger'
  if (perBroker && resource.name !== '' && !/^\d+$/.test(resource.name)) {
    throw new InvalidMessageError(
      `${what}.name must be a broker id like '1' (or '' for the cluster-wide default); got ${describe(resource.name)}`,
    )
  }
  if (!perBroker && resource.name === '') throw new InvalidMessageError(`${what}.name must name the ${resource.type}`)
  const broker = perBroker && resource.name !== '' ? Number(resource.name) : undefined
  return { type: resource.type, name: resource.name, typeCode, broker }
}

/**
 * Sends the resources in one request per destination (a broker, or any
 * broker), in parallel, and reads each resource's answer: an error code is a
 * final failure of that resource, named `TOPIC:orders`, `BROKER:1`.
 */
export function sendByDestination<R extends CheckedResource, A extends ResourceAnswer, T>(
  router: AdminRouter,
  api: 'DescribeConfigs' | 'AlterConfigs' | 'IncrementalAlterConfigs',
  resources: readonly R[],
  send: (broker: number | undefined, resources: readonly R[]) => Promise<readonly A[]>,
  result: (resource: R, answer: A) => T,
): Promise<SettledEntries<R, T>> {
  return settleEntries(
    router,
    resources,
    (r) => resourceEntry(r.type, r.name),
    async (pending) => {
      const byDestination = new Map<number | undefined, R[]>()
      for (const r of pending) byDestination.set(r.broker, [...(byDestination.get(r.broker) ?? []), r])
      const outcomes = new Map<R, EntryOutcome<T>>()
      await Promise.all(
        [...byDestination].map(async ([broker, list]) => {
          for (const answer of await send(broker, list)) {
            const resource = list.find((r) => r.typeCode === answer.resourceType && r.name === answer.resourceName)
            if (!resource) continue
            const entity = resourceEntry(resource.type, resource.name)
            const error = errorFromCode(answer.errorCode, { api, entity, detail: answer.errorMessage || undefined })
            outcomes.set(resource, error ? { error, retry: false } : { result: result(resource, answer) })
          }
        }),
      )
      return outcomes
    },
  )
}

/** Names each resource once: the same resource twice in one call is a mistake Kafka refuses too. */
export function requireDistinct(resources: readonly CheckedResource[], operation: string): void {
  const seen = new Set<string>()
  for (const r of resources) {
    const entry = resourceEntry(r.type, r.name)
    if (seen.has(entry)) throw new InvalidMessageError(`${operation} names resource ${entry} twice`)
    seen.add(entry)
  }
}

/** Sends to the given broker, or to any broker when the resource does not need a particular one. */
export function toDestination<N extends ApiName>(
  router: AdminRouter,
  broker: number | undefined,
  api: N,
  body: RequestBody<N>,
): Promise<ApiMessages[N]['response']> {
  return broker === undefined ? router.toAny(api, body) : router.toBroker(broker, api, body)
}
