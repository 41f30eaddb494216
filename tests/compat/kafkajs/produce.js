'use strict'
// Producer with no compression, GZIP and Snappy (kafkajs-snappy), 100 keyed messages each, then
// fetchTopicOffsets / fetchTopicOffsetsByTimestamp. The C# test reads the messages back with kcat.
const { kafka, check, ok, sleep, run, CompressionTypes } = require('./lib')

const PER_CODEC = 100
const CODECS = [
  ['none', CompressionTypes.None],
  ['gzip', CompressionTypes.GZIP],
  ['snappy', CompressionTypes.Snappy],
]

run(async () => {
  const topic = process.env.TOPIC || `kjs-produce-${Date.now()}`
  const client = kafka('akkalog-compat-producer')
  const admin = client.admin()
  await admin.connect()
  check(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true }), 'createTopics returned false')

  const producer = client.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  let middle = 0
  for (const [name, compression] of CODECS) {
    if (name === 'snappy') {
      await sleep(25)
      middle = Date.now()
      await sleep(25)
    }
    const messages = []
    for (let i = 0; i < PER_CODEC; i++) {
      messages.push({ key: `${name}-k-${i}`, value: `${name}-v-${i}`, headers: { src: 'kafkajs' } })
    }
    const result = await producer.send({ topic, compression, acks: -1, messages })
    check(result.length > 0 && result.every(r => r.errorCode === 0 && r.topicName === topic), `send ${name}: ${JSON.stringify(result)}`)
    ok(`send ${name} ${PER_CODEC}`)
  }
  await producer.disconnect()

  const total = CODECS.length * PER_CODEC
  const offsets = await admin.fetchTopicOffsets(topic)
  check(offsets.length === 2, `fetchTopicOffsets: ${JSON.stringify(offsets)}`)
  const high = Object.fromEntries(offsets.map(o => [o.partition, Number(o.high)]))
  check(offsets.every(o => o.low === '0' && o.offset === o.high), `low/offset wrong: ${JSON.stringify(offsets)}`)
  check(offsets.reduce((s, o) => s + Number(o.high), 0) === total, `high watermarks sum to ${JSON.stringify(offsets)}, expected ${total}`)
  ok(`fetchTopicOffsets total=${total} p0=${high[0]} p1=${high[1]}`)

  const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, middle)
  const after = byTime.reduce((s, o) => s + (high[o.partition] - Number(o.offset)), 0)
  check(after === PER_CODEC, `fetchTopicOffsetsByTimestamp(${middle}): ${JSON.stringify(byTime)} leaves ${after} messages after, expected ${PER_CODEC}`)
  ok(`fetchTopicOffsetsByTimestamp after=${after}`)

  const fromStart = await admin.fetchTopicOffsetsByTimestamp(topic, 0)
  check(fromStart.every(o => o.offset === '0'), `fetchTopicOffsetsByTimestamp(0): ${JSON.stringify(fromStart)}`)
  const future = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() + 3600000)
  check(future.every(o => Number(o.offset) === high[o.partition]), `fetchTopicOffsetsByTimestamp(future): ${JSON.stringify(future)}`)
  ok('fetchTopicOffsetsByTimestamp start=0 future=high')

  await admin.disconnect()
})
