/**
 * kafkajs ships gzip only; snappy, lz4 and zstd are plugged in by the user
 * through `CompressionCodecs`. To compare record-batch code rather than
 * compression libraries, the plug-ins registered here call kafkit's codecs,
 * i.e. the same native libraries (snappy, lz4-napi, @mongodb-js/zstd) with the
 * same framing (xerial snappy, LZ4 frame) kafkit uses. kafkajs keeps its own
 * built-in gzip (node:zlib, as kafkit's).
 */
import { createRequire } from 'node:module'
import { type CompressionCodec, lz4Codec, snappyCodec, zstdCodec } from '../kafkit.js'

interface KafkajsEncoder {
  readonly buffer: Buffer
}

interface KafkajsCodec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

interface KafkajsCompression {
  CompressionTypes: { Snappy: number; LZ4: number; ZSTD: number }
  CompressionCodecs: Record<number, () => KafkajsCodec>
}

function plugIn(codec: CompressionCodec): () => KafkajsCodec {
  const adapter: KafkajsCodec = {
    compress: (encoder) => codec.compress(encoder.buffer),
    decompress: (buffer) => codec.decompress(buffer),
  }
  return () => adapter
}

let registered = false

export function registerKafkajsCodecs(): void {
  if (registered) return
  registered = true
  const { CompressionTypes, CompressionCodecs } = createRequire(import.meta.url)('kafkajs') as KafkajsCompression
  CompressionCodecs[CompressionTypes.Snappy] = plugIn(snappyCodec)
  CompressionCodecs[CompressionTypes.LZ4] = plugIn(lz4Codec)
  CompressionCodecs[CompressionTypes.ZSTD] = plugIn(zstdCodec)
}
