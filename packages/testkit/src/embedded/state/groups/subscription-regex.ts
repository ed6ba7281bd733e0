/**
 * Kafka resolves a member's subscribedTopicRegex with Google's RE2/J against
 * every topic name, which must match as a whole. JavaScript regular
 * expressions accept the RE2 syntax subscriptions use (classes, alternation,
 * repetition); RE2-only constructs that JavaScript lacks fail to compile and
 * are answered as Kafka answers an invalid pattern.
 */
/** Kafka never hands its internal topics to a regex subscription. */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state'])

const compiled = new Map<string, RegExp | string>()

export function compileSubscriptionRegex(pattern: string): RegExp | null {
  const regex = compileOrError(pattern)
  return regex instanceof RegExp ? regex : null
}

/** Why a pattern does not compile (the JavaScript message, not RE2/J's), or null when it does. */
export function subscriptionRegexError(pattern: string): string | null {
  const regex = compileOrError(pattern)
  return regex instanceof RegExp ? null : regex
}

function compileOrError(pattern: string): RegExp | string {
  const cached = compiled.get(pattern)
  if (cached !== undefined) return cached
  let regex: RegExp | string
  try {
    regex = new RegExp(`^(?:${pattern})$`, 'u')
  } catch (error) {
    // "Invalid regular expression: /…/u: Unterminated group" → "Unterminated group", closer to RE2/J's terse reason.
    regex = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')
  }
  compiled.set(pattern, regex)
  return regex
}

export function matchesSubscriptionRegex(pattern: string, topic: string): boolean {
  if (INTERNAL_TOPICS.has(topic)) return false
  return compileSubscriptionRegex(pattern)?.test(topic) ?? false
}
