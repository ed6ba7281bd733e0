import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { crc32c, crc32cImplementation } from '../src/crc32c/crc32c.js'
import { crc32cJs } from '../src/crc32c/crc32c-js.js'

// Check values from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check.
const VECTORS: [string, Buffer, number][] = [
  ['"123456789"', Buffer.from('123456789'), 0xe3069283],
  ['empty input', Buffer.alloc(0), 0],
  ['32 zero bytes', Buffer.alloc(32, 0), 0x8a9136aa],
  ['32 0xff bytes', Buffer.alloc(32, 0xff), 0x62a8ab43],
  ['32 ascending bytes', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
  ['32 descending bytes', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
]

describe('crc32c', () => {
  it.each(VECTORS)('computes the published check value of %s', (_name, input, expected) => {
    expect(crc32c(input)).toBe(expected)
    expect(crc32cJs(input)).toBe(expected)
  })

  it('uses the native implementation on this platform', () => {
    // @node-rs/crc32 ships prebuilt binaries for the platforms CI runs on; a
    // silent fallback to JavaScript would cost 3-6x on large batches.
    expect(crc32cImplementation).toBe('native')
  })

  it('gives the same result from the JavaScript and native paths for any length and alignment', () => {
    const data = randomBytes(70_000)
    for (const length of [0, 1, 7, 8, 9, 63, 64, 127, 128, 129, 1000, 4096, 65_537]) {
      for (const start of [0, 1, 3]) {
        const view = data.subarray(start, start + length)
        expect(crc32c(view)).toBe(crc32cJs(view))
      }
    }
  })

  it('continues a CRC across chunks', () => {
    const data = randomBytes(5000)
    for (const split of [0, 1, 100, 127, 128, 4999, 5000]) {
      const first = data.subarray(0, split)
      const rest = data.subarray(split)
      expect(crc32c(rest, crc32c(first))).toBe(crc32c(data))
      expect(crc32cJs(rest, crc32cJs(first))).toBe(crc32cJs(data))
    }
  })

  it('computes a range of a buffer in the JavaScript implementation', () => {
    const data = randomBytes(300)
    expect(crc32cJs(data, 0, 21, 250)).toBe(crc32cJs(data.subarray(21, 250)))
  })
})
