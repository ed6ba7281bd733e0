/** @kafkit/cli: the `kafkit` command's building blocks, for embedding in other tools. */
export { BROKER_USAGE, type BrokerCommandOptions, parseBrokerArgs, runBroker, stopBroker } from './broker-command.js'
