import { type JavaReferenceAvailability, javaReferenceAvailability } from '../../reference/java-reference.js'

/**
 * Whether the Java reference can run; prints why not, so a skipped cross-check
 * is visible in the test output. KAFKIT_REQUIRE_JAVA_REFERENCE=1 makes its
 * absence a failure instead (for CI machines that have Java).
 */
export async function javaAvailable(suite: string): Promise<boolean> {
  const availability: JavaReferenceAvailability = await javaReferenceAvailability()
  if (availability.available) return true
  if (process.env.KAFKIT_REQUIRE_JAVA_REFERENCE === '1') throw new Error(availability.reason)
  console.warn(`[test/cross-check/${suite}] skipped: ${availability.reason}`)
  return false
}

/** A deterministic pseudo-random generator (LCG), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state
  }
}
