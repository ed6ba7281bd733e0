// Bookkeeping of the general sticky algorithm: which partitions moved between which members in
// this rebalance, so that a move back undoes an earlier move instead of adding another one.
import { JavaHashSet, TOPIC_PARTITION_KEY } from './java-hash-map.js'
import { partitionKey, type TopicPartition } from './types.js'

interface Move {
  readonly src: string
  readonly dst: string
}

const pairKey = (src: string, dst: string) => JSON.stringify([src, dst])

export class PartitionMovements {
  private readonly byTopic = new Map<string, Map<string, JavaHashSet<TopicPartition>>>()
  private readonly moves = new Map<string, Move>()

  /** Records that `tp` moves from `oldConsumer` to `newConsumer`, folding it into an earlier move of it. */
  movePartition(tp: TopicPartition, oldConsumer: string, newConsumer: string): void {
    const key = partitionKey(tp)
    const existing = this.moves.get(key)
    if (existing === undefined) {
      this.add(tp, { src: oldConsumer, dst: newConsumer })
      return
    }
    this.remove(tp)
    if (existing.src !== newConsumer) this.add(tp, { src: existing.src, dst: newConsumer })
  }

  /**
   * The partition to move from `oldConsumer` to `newConsumer` in place of `tp`: one of the same topic
   * that already moved the other way (Java takes the first in its HashSet's order), else `tp` itself.
   */
  partitionToMove(tp: TopicPartition, oldConsumer: string, newConsumer: string): TopicPartition {
    const topicMoves = this.byTopic.get(tp.topic)
    if (topicMoves === undefined) return tp
    const earlier = this.moves.get(partitionKey(tp))
    const source = earlier === undefined ? oldConsumer : earlier.src
    const reverse = topicMoves.get(pairKey(newConsumer, source))
    if (reverse === undefined) return tp
    const [first] = reverse
    return first ?? tp
  }

  private add(tp: TopicPartition, move: Move): void {
    this.moves.set(partitionKey(tp), move)
    let topicMoves = this.byTopic.get(tp.topic)
    if (topicMoves === undefined) {
      topicMoves = new Map()
      this.byTopic.set(tp.topic, topicMoves)
    }
    const key = pairKey(move.src, move.dst)
    let partitions = topicMoves.get(key)
    if (partitions === undefined) {
      partitions = new JavaHashSet(TOPIC_PARTITION_KEY)
      topicMoves.set(key, partitions)
    }
    partitions.add(tp)
  }

  private remove(tp: TopicPartition): void {
    const key = partitionKey(tp)
    const move = this.moves.get(key) as Move
    this.moves.delete(key)
    const topicMoves = this.byTopic.get(tp.topic) as Map<string, JavaHashSet<TopicPartition>>
    const pair = pairKey(move.src, move.dst)
    const partitions = topicMoves.get(pair) as JavaHashSet<TopicPartition>
    partitions.delete(tp)
    if (partitions.size === 0) topicMoves.delete(pair)
    if (topicMoves.size === 0) this.byTopic.delete(tp.topic)
  }
}
