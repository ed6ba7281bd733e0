/**
 * kafkit logs through this interface; pino, a console or any structured logger
 * plugs in. Fields are structured data, never pre-formatted text, and never
 * carry credentials: SASL passwords and tokens are not passed to the logger.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export type LogFields = Record<string, unknown>

export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

const ORDER: Record<LogLevel | 'nothing', number> = { debug: 0, info: 1, warn: 2, error: 3, nothing: 4 }

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
}

/** A logger writing one JSON line per entry to the console, from `level` up. */
export function consoleLogger(level: LogLevel | 'nothing' = 'info', namespace = 'kafkit'): Logger {
  const write = (at: LogLevel) => (message: string, fields?: LogFields) => {
    if (ORDER[at] < ORDER[level]) return
    const line = JSON.stringify(
      { level: at, time: new Date().toISOString(), namespace, message, ...fields },
      (_, value) => (typeof value === 'bigint' ? value.toString() : value),
    )
    if (at === 'error' || at === 'warn') console.error(line)
    else console.log(line)
  }
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}

/** A logger that adds `fields` to every entry (the broker of a connection, say). */
export function childLogger(parent: Logger, fields: LogFields): Logger {
  return {
    debug: (message, more) => parent.debug(message, { ...fields, ...more }),
    info: (message, more) => parent.info(message, { ...fields, ...more }),
    warn: (message, more) => parent.warn(message, { ...fields, ...more }),
    error: (message, more) => parent.error(message, { ...fields, ...more }),
  }
}
