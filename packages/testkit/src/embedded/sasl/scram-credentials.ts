import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

export interface ScramCredential {
  salt: Buffer
  iterations: number
  storedKey: Buffer
  serverKey: Buffer
}

export const SCRAM_HASHES: Record<ScramMechanismName, { hash: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { hash: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { hash: 'sha512', bytes: 64 },
}

/** What a broker stores for a SCRAM user (RFC 5802): never the password itself. */
export function scramCredential(mechanism: ScramMechanismName, password: string, iterations = 4096): ScramCredential {
  const { hash, bytes } = SCRAM_HASHES[mechanism]
  const salt = randomBytes(16)
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, bytes, hash)
  return scramCredentialFromSalted(mechanism, salt, iterations, salted)
}

/**
 * The stored credential for a salted password (Hi(password, salt, i) of RFC
 * 5802), which is what AlterUserScramCredentials carries: clients salt the
 * password themselves so it never crosses the wire.
 */
export function scramCredentialFromSalted(
  mechanism: ScramMechanismName,
  salt: Buffer,
  iterations: number,
  salted: Buffer,
): ScramCredential {
  const { hash } = SCRAM_HASHES[mechanism]
  const clientKey = createHmac(hash, salted).update('Client Key').digest()
  return {
    salt,
    iterations,
    storedKey: createHash(hash).update(clientKey).digest(),
    serverKey: createHmac(hash, salted).update('Server Key').digest(),
  }
}
