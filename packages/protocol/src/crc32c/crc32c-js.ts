/**
 * Table-driven CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), processing
 * eight bytes per step ("slice-by-8"). It is the fallback when no native
 * implementation loads; eight lookups per 8 bytes instead of one per byte make it
 * several times faster than the byte-wise table on large inputs.
 */

const POLYNOMIAL = 0x82f63b78

/** TABLE[k * 256 + b] is the CRC contribution of byte b followed by k zero bytes. */
const TABLE = buildTable()

function buildTable(): Int32Array {
  const table = new Int32Array(8 * 256)
  for (let b = 0; b < 256; b++) {
    let crc = b
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1
    table[b] = crc
  }
  for (let b = 0; b < 256; b++) {
    let crc = table[b]!
    for (let k = 1; k < 8; k++) {
      crc = table[crc & 0xff]! ^ (crc >>> 8)
      table[k * 256 + b] = crc
    }
  }
  return table
}

/**
 * CRC-32C of `data[start..end)`, continuing from `previous` (the unsigned CRC of
 * the bytes before, 0 to start). Returns the unsigned 32-bit CRC.
 */
export function crc32cJs(data: Uint8Array, previous = 0, start = 0, end = data.length): number {
  const t = TABLE
  let crc = ~previous
  let i = start
  // Byte-wise until the remaining length is a multiple of 8.
  for (const stop = start + ((end - start) & 7); i < stop; i++) {
    crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8)
  }
  for (; i < end; i += 8) {
    const low = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))
    crc =
      t[1792 + (low & 0xff)]! ^
      t[1536 + ((low >>> 8) & 0xff)]! ^
      t[1280 + ((low >>> 16) & 0xff)]! ^
      t[1024 + (low >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!
  }
  return ~crc >>> 0
}
