/**
 * The `kafkit` command. Subcommands:
 *   kafkit broker [--port <p>] [--brokers <n>] [--data-dir <dir>]   an embedded Kafka cluster for local development
 */
import { BROKER_USAGE, parseBrokerArgs, runBroker, stopBroker } from './broker-command.js'

const USAGE = `usage: kafkit <command> [options]

commands:
  broker    run an embedded Kafka cluster on 127.0.0.1 (kafkit broker --help)`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE)
    return command === undefined ? 1 : 0
  }
  if (command !== 'broker') {
    console.error(`unknown command "${command}"\n${USAGE}`)
    return 1
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(BROKER_USAGE)
    return 0
  }
  let options: ReturnType<typeof parseBrokerArgs>
  try {
    options = parseBrokerArgs(rest)
  } catch (error) {
    console.error(`${(error as Error).message}\n${BROKER_USAGE}`)
    return 1
  }
  const kafka = await runBroker(options, (line) => console.log(line))
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await stopBroker(kafka, options.dataDir)
  console.log('stopped')
  return 0
}

process.exitCode = await main(process.argv.slice(2))
