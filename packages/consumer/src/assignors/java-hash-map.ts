// The iteration order of java.util.HashMap / HashSet (JDK 17), reproduced so that the
// assignors make the same choices as the Java client where its algorithms iterate hash
// maps: which member keeps a partition two members claim, which partition moves back, and
// the order of topics in the bytes of an assignment all follow that order. Java's order
// depends on the key hashes, the table size and, within a bucket, on insertion order
// (put appends to a bucket, computeIfAbsent prepends), so this keeps the same buckets.
//
// Not reproduced: tree bins (a bucket of more than 8 keys in a table of 64 or more), which
// keep insertion order for iteration anyway except for keys added after treeification.

const MAXIMUM_CAPACITY = 1 << 30
const TREEIFY_THRESHOLD = 8
const MIN_TREEIFY_CAPACITY = 64

/** Java's String.hashCode over UTF-16 code units. */
export function javaStringHash(value: string): number {
  let hash = 0
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0
  return hash
}

/** TopicPartition.hashCode in kafka-clients: 31 * (31 + partition) + topic.hashCode(). */
export function javaTopicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, (31 + partition) | 0) + javaStringHash(topic)) | 0
}

function spread(hash: number): number {
  return (hash ^ (hash >>> 16)) | 0
}

function tableSizeFor(capacity: number): number {
  let n = 1
  while (n < capacity && n < MAXIMUM_CAPACITY) n *= 2
  return n
}

interface Entry<K, V> {
  readonly id: string
  readonly key: K
  readonly hash: number
  value: V
}

/** How a key is hashed (Java's hashCode) and identified (Java's equals, as a string). */
export interface JavaKeyType<K> {
  readonly hash: (key: K) => number
  readonly id: (key: K) => string
}

export const STRING_KEY: JavaKeyType<string> = { hash: javaStringHash, id: (key) => key }

export class JavaHashMap<K, V> {
  private table: Entry<K, V>[][] | null = null
  private threshold: number
  private readonly entries = new Map<string, Entry<K, V>>()

  /** `initialCapacity` as in `new HashMap<>(n)`; omitted as in `new HashMap<>()`. */
  constructor(
    private readonly keyType: JavaKeyType<K>,
    initialCapacity?: number,
  ) {
    this.threshold = initialCapacity === undefined ? 0 : tableSizeFor(initialCapacity)
  }

  get size(): number {
    return this.entries.size
  }

  has(key: K): boolean {
    return this.entries.has(this.keyType.id(key))
  }

  get(key: K): V | undefined {
    return this.entries.get(this.keyType.id(key))?.value
  }

  /** HashMap.put: a new key goes to the end of its bucket, then the table grows if over threshold. */
  set(key: K, value: V): this {
    const id = this.keyType.id(key)
    const existing = this.entries.get(id)
    if (existing !== undefined) {
      existing.value = value
      return this
    }
    if (this.table === null) this.resize()
    const entry: Entry<K, V> = { id, key, hash: spread(this.keyType.hash(key)), value }
    const bucket = this.bucketOf(entry.hash)
    const before = bucket.length
    bucket.push(entry)
    this.entries.set(id, entry)
    if (before >= TREEIFY_THRESHOLD) this.treeifyBin()
    if (this.entries.size > this.threshold) this.resize()
    return this
  }

  /** HashMap.computeIfAbsent: grows first if already over threshold, and a new key goes to the front of its bucket. */
  computeIfAbsent(key: K, create: (key: K) => V): V {
    const id = this.keyType.id(key)
    const existing = this.entries.get(id)
    if (existing !== undefined) return existing.value
    if (this.table === null || this.entries.size > this.threshold) this.resize()
    const entry: Entry<K, V> = { id, key, hash: spread(this.keyType.hash(key)), value: create(key) }
    const bucket = this.bucketOf(entry.hash)
    const before = bucket.length
    bucket.unshift(entry)
    this.entries.set(id, entry)
    if (before >= TREEIFY_THRESHOLD - 1) this.treeifyBin()
    return entry.value
  }

  delete(key: K): boolean {
    const id = this.keyType.id(key)
    const entry = this.entries.get(id)
    if (entry === undefined || this.table === null) return false
    const bucket = this.bucketOf(entry.hash)
    bucket.splice(bucket.indexOf(entry), 1)
    this.entries.delete(id)
    return true
  }

  clear(): void {
    this.entries.clear()
    if (this.table !== null) this.table = this.table.map(() => [])
  }

  *[Symbol.iterator](): IterableIterator<[K, V]> {
    if (this.table === null) return
    for (const bucket of this.table) for (const entry of [...bucket]) yield [entry.key, entry.value]
  }

  keys(): K[] {
    return [...this].map(([key]) => key)
  }

  values(): V[] {
    return [...this].map(([, value]) => value)
  }

  private bucketOf(hash: number): Entry<K, V>[] {
    const table = this.table as Entry<K, V>[][]
    return table[hash & (table.length - 1)] as Entry<K, V>[]
  }

  private treeifyBin(): void {
    // Java turns a long bucket into a tree only in a table of 64 or more; a smaller table grows instead.
    if (this.table !== null && this.table.length < MIN_TREEIFY_CAPACITY) this.resize()
  }

  private resize(): void {
    const oldCapacity = this.table?.length ?? 0
    let capacity: number
    if (oldCapacity > 0) {
      capacity = Math.min(oldCapacity * 2, MAXIMUM_CAPACITY)
    } else {
      capacity = this.threshold > 0 ? this.threshold : 16
    }
    const table: Entry<K, V>[][] = Array.from({ length: capacity }, () => [])
    // Each new bucket takes its keys from exactly one old bucket, in their old order, as Java's split does.
    for (const bucket of this.table ?? []) {
      for (const entry of bucket) (table[entry.hash & (capacity - 1)] as Entry<K, V>[]).push(entry)
    }
    this.table = table
    this.threshold = Math.floor(capacity * 0.75)
  }
}

/** java.util.HashSet: a HashMap of keys to a dummy value. */
export class JavaHashSet<K> {
  private readonly map: JavaHashMap<K, true>

  constructor(keyType: JavaKeyType<K>, initialCapacity?: number) {
    this.map = new JavaHashMap(keyType, initialCapacity)
  }

  get size(): number {
    return this.map.size
  }

  add(key: K): boolean {
    if (this.map.has(key)) return false
    this.map.set(key, true)
    return true
  }

  has(key: K): boolean {
    return this.map.has(key)
  }

  delete(key: K): boolean {
    return this.map.delete(key)
  }

  *[Symbol.iterator](): IterableIterator<K> {
    for (const [key] of this.map) yield key
  }
}

/** The iteration order of a `new HashMap<>()` (or HashSet) after putting `keys` in this order. */
export function javaHashOrder(keys: Iterable<string>): string[] {
  const set = new JavaHashSet(STRING_KEY)
  for (const key of keys) set.add(key)
  return [...set]
}

/** TopicPartition keys: Kafka's TopicPartition.hashCode and equality on topic and partition. */
export const TOPIC_PARTITION_KEY: JavaKeyType<{ readonly topic: string; readonly partition: number }> = {
  hash: (tp) => javaTopicPartitionHash(tp.topic, tp.partition),
  id: (tp) => `${tp.partition}:${tp.topic}`,
}
