/** Accumulates generated source with indentation. */
export class CodeWriter {
  private readonly lines: string[] = []
  private depth = 0

  line(text = ''): this {
    this.lines.push(text === '' ? '' : '  '.repeat(this.depth) + text)
    return this
  }

  /** Writes `open`, runs `body` one level deeper, then writes `close`. */
  block(open: string, body: () => void, close = '}'): this {
    this.line(open)
    this.depth++
    body()
    this.depth--
    return this.line(close)
  }

  /** Runs `body` one level deeper (the body of an else branch opened by `block`). */
  indented(body: () => void): this {
    this.depth++
    body()
    this.depth--
    return this
  }

  /** Emits `body` under `condition`, or unconditionally / not at all when the condition is a constant. */
  when(condition: string, body: () => void, otherwise?: () => void): this {
    if (condition === 'true') body()
    else if (condition === 'false') otherwise?.()
    else if (otherwise) {
      this.block(`if (${condition}) {`, body, '} else {')
      this.depth++
      otherwise()
      this.depth--
      this.line('}')
    } else this.block(`if (${condition}) {`, body)
    return this
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`
  }
}

/** `cond ? a : b`, folded when the condition is a constant. */
export function choose(condition: string, whenTrue: string, whenFalse: string): string {
  if (condition === 'true') return whenTrue
  if (condition === 'false') return whenFalse
  return `(${condition} ? ${whenTrue} : ${whenFalse})`
}

export function not(condition: string): string {
  if (condition === 'true') return 'false'
  if (condition === 'false') return 'true'
  return `!(${condition})`
}

export function and(a: string, b: string): string {
  if (a === 'false' || b === 'false') return 'false'
  if (a === 'true') return b
  if (b === 'true') return a
  return `${a} && ${b}`
}

export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
}
