/**
 * CRC-32C over a 1 MiB buffer (a big batch) and a 16 KiB one (the Java
 * producer's default `batch.size`). The records helper chose a native package
 * (@node-rs/crc32) with a JavaScript slice-by-8 fallback; both are measured,
 * beside kafkajs's byte-wise table and @platformatic/kafka's choices.
 */
import { randomBytes } from 'node:crypto'
import { type BenchmarkCase, type BenchmarkGroup, caseOf } from '../benchmark.js'
import type { Crc32cImplementation, SkippedClient } from '../peers/peer.js'
import { VerificationError } from '../verify.js'

export const CRC_SIZES = [
  { label: '1 MiB', bytes: 1024 * 1024 },
  { label: '16 KiB', bytes: 16 * 1024 },
] as const

/** Implementations that cannot run here come as a name and a reason. */
export type Crc32cClient = Crc32cImplementation | SkippedClient

export function crc32cGroups(implementations: Crc32cClient[]): BenchmarkGroup[] {
  return CRC_SIZES.map(({ label, bytes }) => {
    const data = randomBytes(bytes)
    let expected: number | undefined
    const cases: BenchmarkCase[] = implementations.map((implementation) => {
      if ('skipped' in implementation) return { ...caseOf(implementation), skipped: implementation.skipped }
      const crc = implementation.crc32c(data) >>> 0
      expected ??= crc
      if (crc !== expected) {
        throw new VerificationError(
          `${implementation.name} computes ${crc.toString(16)}, expected ${expected.toString(16)}`,
        )
      }
      return { ...caseOf(implementation), operation: () => implementation.crc32c(data) }
    })
    return { id: `crc32c-${bytes}`, title: `CRC32C, ${label}`, payloadBytes: bytes, cases }
  })
}
