import { describe, expect, it } from 'vitest'
import { defaultPartition, murmur2 } from '../../packages/protocol/src/murmur2.js'
import { javaMurmur2, orThrow } from '../reference/java-reference.js'
import { javaAvailable, seededRandom } from './support/java.js'

const available = await javaAvailable('murmur2')

describe.skipIf(!available)('murmur2 and the default partition, against the Java client', () => {
  const random = seededRandom(0x6b61666b)
  // Every length 0..64 appears, the empty key included, then random lengths.
  const keys = Array.from({ length: 1200 }, (_, i) => {
    const length = i <= 64 ? i : random() % 65
    return Buffer.from(Array.from({ length }, () => random() & 0xff))
  })
  keys.push(Buffer.from('kafkit'), Buffer.from('ключ'), Buffer.from([0x80, 0xff, 0x00, 0x7f]))

  const partitionCounts = [1, 2, 3, 7, 12, 64, 100, 1000, 2147483647]

  it(`agree for ${keys.length} keys and ${partitionCounts.length} partition counts`, async () => {
    const requests = partitionCounts.flatMap((partitions) => keys.map((key) => ({ key, partitions })))
    const java = orThrow(await javaMurmur2(requests)) // one JVM for all of them
    const ours = requests.map(({ key, partitions }) => ({
      murmur2: murmur2(key),
      partition: defaultPartition(key, partitions),
    }))
    expect(ours).toEqual(java)
  })
})
