import type { KafkaClient } from '@kafkit/client'
import { type AdminOptions, resolveAdminOptions } from './admin-options.js'
import { AdminRouter } from './admin-router.js'

/**
 * The admin client: `kafka.admin()`. Every call is routed to the broker that
 * must answer it (the controller for topic and partition changes, the leader
 * for records and offsets, the group or transaction coordinator) and retried
 * on retriable errors until `requestTimeoutMs`, as Java's admin client does.
 * A call about several entries resolves when all succeeded and rejects with
 * `AdminPartialFailureError` (which entries failed and why) otherwise.
 *
 * The operations live in one file per area (topics/, configs/, groups/, ...);
 * this class gives them one flat API, like Java's `Admin`.
 */
export class Admin {
  /** Sends each request to the broker that must answer it; what every area's operations build on. */
  readonly #router: AdminRouter

  constructor(
    readonly client: KafkaClient,
    options: AdminOptions = {},
  ) {
    this.#router = new AdminRouter(client, resolveAdminOptions(options))
  }

  async connect(): Promise<void> {
    await this.client.connect()
  }

  async disconnect(): Promise<void> {
    await this.client.close()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect()
  }

  // --- topics, partitions, records and offsets (topics/, records/) ---

  // --- configs (configs/) ---

  // --- cluster: describe, features, log dirs, leader election, reassignments (cluster/) ---

  // --- consumer groups and their offsets (groups/) ---

  // --- transactions and producers (transactions/) ---

  // --- ACLs, SCRAM credentials, client quotas (security/) ---
}
