import type { MessageCodec } from './codec-support.js'

/**
 * One Kafka API as the generated API table describes it: its key, the versions
 * a released broker serves, where flexible encoding starts, which header
 * versions frame it, and the codecs of its request and response.
 */
export interface ApiDefinition<Request = unknown, Response = unknown> {
  readonly apiKey: number
  readonly name: string
  readonly minVersion: number
  /** Highest stable version: a `latestVersionUnstable` version is never counted (or sent). */
  readonly maxVersion: number
  readonly latestVersionUnstable: boolean
  /** First flexible version, or -1 when no version is flexible. */
  readonly firstFlexibleVersion: number
  /** The Kafka listeners that serve this API ("broker", "controller"). */
  readonly listeners: readonly string[]
  requestHeaderVersion(version: number): number
  responseHeaderVersion(version: number): number
  readonly request: MessageCodec<Request>
  readonly response: MessageCodec<Response>
}
