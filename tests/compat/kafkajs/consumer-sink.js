'use strict'
// Sink for the .NET producer's compatibility test (tests/AkkaLog.Client.Tests/Integration/KafkajsConsumerTests.cs):
// a kafkajs consumer in group GROUP reads TOPIC from the beginning until COUNT messages arrived and
// prints each as "MSG {partition, offset, key, value, headers}" (null key/value as null, header values
// as UTF-8 strings), then "OK consumed <COUNT>". More than COUNT messages is a failure.
const { check, ok, run, sleep, waitFor } = require('./lib')
const { groupConsumer } = require('./group-lib')

run(async () => {
  const topic = process.env.TOPIC
  const count = Number(process.env.COUNT || 200)
  check(topic && process.env.GROUP, 'TOPIC and GROUP must be set')
  const consumer = groupConsumer('akkalog-consumer-sink', process.env.GROUP)
  const seen = []
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers = {}
      for (const [k, v] of Object.entries(message.headers || {})) headers[k] = v === null || v === undefined ? null : v.toString('utf8')
      seen.push({
        partition,
        offset: Number(message.offset),
        key: message.key === null ? null : message.key.toString('utf8'),
        value: message.value === null ? null : message.value.toString('utf8'),
        headers,
      })
    },
  })
  await waitFor(`${count} messages`, () => seen.length >= count, 60000, () => `(${seen.length} so far)`)
  await sleep(500)
  check(seen.length === count, `expected ${count} messages, got ${seen.length}`)
  await consumer.disconnect()
  for (const m of seen) console.log(`MSG ${JSON.stringify(m)}`)
  ok(`consumed ${count}`)
})
