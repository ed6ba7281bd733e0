import { KafkaError } from './errors.js'

/** The seed of the Java client's `Utils.murmur2`; changing it would move every keyed record. */
const SEED = 0x9747b28c
const M = 0x5bd1e995

/**
 * 32-bit MurmurHash2 of `key` exactly as Kafka's Java client computes it
 * (`org.apache.kafka.common.utils.Utils.murmur2`), returning a signed int32 like
 * Java's `int`. Keyed records land on the same partition as with the Java
 * producer only if this matches bit for bit.
 */
export function murmur2(key: Uint8Array): number {
  const length = key.length
  let h = SEED ^ length
  const whole = length & ~3
  for (let i = 0; i < whole; i += 4) {
    let k = key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24)
    k = Math.imul(k, M)
    k ^= k >>> 24
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }
  const tail = length & 3
  if (tail > 0) {
    if (tail === 3) h ^= key[whole + 2]! << 16
    if (tail >= 2) h ^= key[whole + 1]! << 8
    h ^= key[whole]!
    h = Math.imul(h, M)
  }
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}

/**
 * Java's `Utils.toPositive`: clears the sign bit rather than taking the absolute
 * value, so that -2^31 maps to 0 instead of staying negative.
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff
}

/**
 * The partition the Java producer's default partitioner picks for a keyed record:
 * `toPositive(murmur2(key)) % numPartitions`.
 */
export function defaultPartition(key: Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions <= 0) {
    throw new KafkaError(`numPartitions must be a positive integer, got ${numPartitions}`)
  }
  return toPositive(murmur2(key)) % numPartitions
}
