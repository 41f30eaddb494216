'use strict'
// Source for the .NET consumer's compatibility test (tests/AkkaLog.Client.Tests/Integration/KafkajsConsumerTests.cs):
// produces COUNT keyed messages with headers to TOPIC (first half uncompressed, second half GZIP; every
// 10th value null), then prints "OK produced <COUNT>". The C# test reads them back with our consumer.
const { kafka, check, ok, run, CompressionTypes } = require('./lib')

run(async () => {
  const topic = process.env.TOPIC
  const count = Number(process.env.COUNT || 200)
  check(topic, 'TOPIC is not set')
  const producer = kafka('akkalog-consumer-source').producer({ allowAutoTopicCreation: false })
  await producer.connect()
  const message = i => ({
    key: `kjs-k-${i}`,
    value: i % 10 === 5 ? null : `kjs-v-${i}-é✓`,
    headers: { src: 'kafkajs', i: `${i}` },
  })
  const half = Math.floor(count / 2)
  for (const [from, to, compression] of [[0, half, CompressionTypes.None], [half, count, CompressionTypes.GZIP]]) {
    const messages = []
    for (let i = from; i < to; i++) messages.push(message(i))
    const result = await producer.send({ topic, compression, acks: -1, messages })
    check(result.every(r => r.errorCode === 0), `send: ${JSON.stringify(result)}`)
  }
  await producer.disconnect()
  ok(`produced ${count}`)
})
