/**
 * Compression codecs by the id stored in bits 0-2 of a batch's attributes (and of
 * a legacy message's attributes). The ids are part of the wire format.
 */
export const CompressionType = {
  None: 0,
  Gzip: 1,
  Snappy: 2,
  Lz4: 3,
  Zstd: 4,
} as const

export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType]

const NAMES: Record<CompressionType, string> = {
  0: 'none',
  1: 'gzip',
  2: 'snappy',
  3: 'lz4',
  4: 'zstd',
}

export function isCompressionType(id: number): id is CompressionType {
  return id >= 0 && id <= 4 && Number.isInteger(id)
}

/** The name Kafka uses in `compression.type` ("gzip", "zstd", ...). */
export function compressionName(type: CompressionType): string {
  return NAMES[type]
}
