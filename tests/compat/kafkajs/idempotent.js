'use strict'
// An idempotent kafkajs producer (InitProducerId, sequence numbers per partition) sends 500 keyed
// messages in 10 sends; the C# test reads them back with kcat and checks each arrived exactly once.
const { kafka, check, ok, run } = require('./lib')

run(async () => {
  const topic = process.env.TOPIC
  check(topic, 'TOPIC is not set')
  const producer = kafka('akkalog-compat-idempotent').producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true })
  await producer.connect()
  for (let round = 0; round < 10; round++) {
    const messages = []
    for (let i = 0; i < 50; i++) messages.push({ key: `k-${i % 7}`, value: `idem-${round * 50 + i}` })
    const result = await producer.send({ topic, acks: -1, messages })
    check(result.every(r => r.errorCode === 0), `send ${round}: ${JSON.stringify(result)}`)
  }
  ok('sent 500 idempotent')
  await producer.disconnect()
})
