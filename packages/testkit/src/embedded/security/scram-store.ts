import { type ScramCredential, type ScramMechanismName, scramCredential } from '../sasl/scram-credentials.js'

/** SCRAM mechanism codes of DescribeUserScramCredentials and AlterUserScramCredentials. */
export const SCRAM_MECHANISM_CODES: Record<number, ScramMechanismName> = { 1: 'SCRAM-SHA-256', 2: 'SCRAM-SHA-512' }

export function scramMechanismCode(mechanism: ScramMechanismName): number {
  return mechanism === 'SCRAM-SHA-256' ? 1 : 2
}

/**
 * The SCRAM credentials of an embedded cluster, per user and mechanism, as
 * Kafka keeps them in its metadata log: the start-up users get both mechanisms
 * (as `kafka-storage format --add-scram` gives them on the jar target), and
 * AlterUserScramCredentials adds, replaces and deletes them. SASL/SCRAM
 * authentication reads them, so a change applies to the next authentication.
 */
export class ScramStore {
  readonly #users = new Map<string, Map<ScramMechanismName, ScramCredential>>()

  constructor(users: { username: string; password: string }[] = []) {
    for (const { username, password } of users) {
      for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
        this.set(username, mechanism, scramCredential(mechanism, password))
      }
    }
  }

  get(username: string, mechanism: ScramMechanismName): ScramCredential | undefined {
    return this.#users.get(username)?.get(mechanism)
  }

  set(username: string, mechanism: ScramMechanismName, credential: ScramCredential): void {
    const credentials = this.#users.get(username) ?? new Map<ScramMechanismName, ScramCredential>()
    credentials.set(mechanism, credential)
    this.#users.set(username, credentials)
  }

  /** Removes one credential; false when the user had none for that mechanism. */
  delete(username: string, mechanism: ScramMechanismName): boolean {
    const credentials = this.#users.get(username)
    if (!credentials?.delete(mechanism)) return false
    if (credentials.size === 0) this.#users.delete(username)
    return true
  }

  /** Every user with at least one credential, with the mechanisms and iterations. */
  users(): { username: string; credentials: { mechanism: ScramMechanismName; iterations: number }[] }[] {
    return [...this.#users].map(([username, credentials]) => ({
      username,
      credentials: [...credentials].map(([mechanism, { iterations }]) => ({ mechanism, iterations })),
    }))
  }
}
