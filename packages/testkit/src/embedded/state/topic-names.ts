/** Kafka's rule for topic names (Topic.validate): legal characters, length, not "." or "..". */
const LEGAL = /^[a-zA-Z0-9._-]+$/
const MAX_LENGTH = 249

/** Why `name` is not a valid topic name, or undefined when it is. */
export function invalidTopicName(name: string): string | undefined {
  if (name.length === 0) return 'the topic name is empty'
  if (name === '.' || name === '..') return `"${name}" is not allowed as a topic name`
  if (name.length > MAX_LENGTH) return `the topic name is longer than ${MAX_LENGTH} characters`
  if (!LEGAL.test(name)) return `"${name}" contains characters other than ASCII letters, digits, '.', '_' and '-'`
  return undefined
}
