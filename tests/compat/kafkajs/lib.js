'use strict'
// Shared helpers for the kafkajs compatibility scripts. Each script prints "OK <step> ..." lines
// that the C# test (tests/AkkaLog.IntegrationTests/Tests/KafkajsCompatTests.cs) asserts on, and
// exits 1 with "FAIL: <reason>" on stderr at the first mismatch.
const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = require('kafkajs')
const SnappyCodec = require('kafkajs-snappy')

CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec

function kafka(clientId) {
  const broker = process.env.BROKER
  if (!broker) fail('BROKER=host:port is not set')
  return new Kafka({
    clientId,
    brokers: [broker],
    logLevel: logLevel.WARN,
    connectionTimeout: 5000,
    requestTimeout: 15000,
    retry: { retries: 3, initialRetryTime: 200 },
  })
}

function fail(message) {
  console.error(`FAIL: ${message}`)
  process.exit(1)
}

function check(condition, message) {
  if (!condition) fail(message)
}

function ok(line) {
  console.log(`OK ${line}`)
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// Polls `condition` (async, returns truthy when done) every 100 ms; fails naming `what` and the
// last `describe()` after `timeoutMs`.
async function waitFor(what, condition, timeoutMs = 30000, describe = () => '') {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await condition()
    if (value) return value
    if (Date.now() > deadline) fail(`timed out after ${timeoutMs} ms waiting for ${what} ${describe()}`)
    await sleep(100)
  }
}

function run(main) {
  const timer = setTimeout(() => fail('timed out after 90 s'), 90000)
  main()
    .then(() => {
      clearTimeout(timer)
      // Exit once stdout has taken everything: into a pipe, Node writes asynchronously, and exiting at once
      // cut a large output short (536 of 3,301 lines from consumer-sink.js piped into sort).
      process.stdout.write('', () => process.exit(0))
    })
    .catch(e => fail(`${e && e.name}: ${e && e.message}\n${e && e.stack}`))
}

module.exports = { kafka, fail, check, ok, sleep, waitFor, run, CompressionTypes }
