import type { Partitioner, PartitionerFunction, PartitionerInput } from './partitioner.js'

/** Wraps a user function as a partitioner; its result is validated by `choosePartition`. */
export class CustomPartitioner implements Partitioner {
  readonly #choose: PartitionerFunction

  constructor(choose: PartitionerFunction) {
    if (typeof choose !== 'function') {
      throw new TypeError('a custom partitioner must be a function (input) => partition number')
    }
    this.#choose = choose
  }

  partition(input: PartitionerInput): number {
    return this.#choose(input)
  }
}
