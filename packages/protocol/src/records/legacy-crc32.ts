import * as zlib from 'node:zlib'

/**
 * CRC-32 (IEEE, zlib's), which legacy magic 0/1 messages carry. Node has
 * `zlib.crc32` from 20.15 / 22.2; on older Node 20 releases a byte-wise table
 * serves: legacy messages are rare enough that its speed does not matter.
 */
type Crc32 = (data: Uint8Array) => number

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32

let table: Int32Array | undefined

function tableCrc32(data: Uint8Array): number {
  if (table === undefined) {
    table = new Int32Array(256)
    for (let b = 0; b < 256; b++) {
      let crc = b
      for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
      table[b] = crc
    }
  }
  let crc = -1
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8)
  return ~crc >>> 0
}

export const crc32: Crc32 = native === undefined ? tableCrc32 : (data) => native(data) >>> 0

/** Exposed for tests, so the fallback is checked on Node versions that do not need it. */
export const crc32Fallback: Crc32 = tableCrc32
