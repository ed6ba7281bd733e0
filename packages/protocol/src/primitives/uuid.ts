import { InvalidMessageError } from '../errors.js'

/**
 * Kafka prints and parses UUIDs (topic ids, directory ids) as 22 characters of
 * URL-safe base64 without padding (Java's `Uuid.toString()`); kafkit uses the
 * same text form so ids match what Kafka's tools show.
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

export function uuidFromBytes(buffer: Buffer, offset: number): string {
  return buffer.toString('base64url', offset, offset + 16)
}

export function uuidToBytes(uuid: string, target: Buffer, offset: number): void {
  if (uuid.length !== 22)
    throw new InvalidMessageError(`invalid UUID "${uuid}": expected 22 characters of URL-safe base64`)
  const written = target.write(uuid, offset, 16, 'base64url')
  if (written !== 16) throw new InvalidMessageError(`invalid UUID "${uuid}": expected 22 characters of URL-safe base64`)
}

/**
 * Random type 4 UUID in Kafka's text form. Like Java's Uuid.randomUuid it never
 * starts with "-", which command-line tools would take for an option.
 */
export function randomUuid(): string {
  for (;;) {
    const bytes = Buffer.from(crypto.getRandomValues(new Uint8Array(16)))
    bytes[6] = (bytes[6]! & 0x0f) | 0x40
    bytes[8] = (bytes[8]! & 0x3f) | 0x80
    const text = uuidFromBytes(bytes, 0)
    if (!text.startsWith('-') && text !== ZERO_UUID) return text
  }
}
