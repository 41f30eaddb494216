'use strict'
// A kafkajs producer (acks=-1) and a two-member consumer group on a replicated topic while the C#
// test kills a broker (the group's coordinator and a partition leader) and restarts it. BROKERS is a
// comma-separated list. Runs for RUN_MS producing; prints "OK ready" once the group consumes, then
// checks that every acknowledged message was consumed and offsets were committed.
// Each send targets one partition: kafkajs 2.2.4 retries a multi-broker send only towards brokers
// that had not answered yet, so when a partition's leader moves to a broker that already answered
// for other partitions, that partition's messages are silently skipped while send() resolves. A
// message counts as acknowledged only if the send's result names its partition.
const { Kafka, logLevel } = require('kafkajs')
const { check, ok, waitFor, run, sleep } = require('./lib')

run(async () => {
  const brokers = (process.env.BROKERS || '').split(',').filter(Boolean)
  check(brokers.length > 0, 'BROKERS is not set')
  const topic = process.env.TOPIC
  const groupId = process.env.GROUP
  const runMs = Number(process.env.RUN_MS || 20000)
  const kafka = new Kafka({
    clientId: 'kjs-cluster', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 10000,
    retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2000 },
  })
  const producer = kafka.producer({ retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2000 } })
  await producer.connect()
  const seen = new Set()
  const consumers = []
  for (let i = 0; i < 2; i++) {
    const consumer = kafka.consumer({
      groupId, sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 15000, maxWaitTimeInMs: 200,
      retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2000 },
    })
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => { seen.add(message.value.toString()) } })
    consumers.push(consumer)
  }

  const acked = []
  const sentWith = {}
  let failures = 0
  let skipped = 0
  let n = 0
  const started = Date.now()
  let announced = false
  while (Date.now() - started < runMs) {
    const values = []
    for (let i = 0; i < 10; i++) values.push(`kjs-${++n}`)
    const partition = n % 3
    try {
      const meta = await producer.send({ topic, acks: -1, messages: values.map(v => ({ key: v, value: v, partition })) })
      if (!meta.some(m => m.partition === partition && m.errorCode === 0)) {
        skipped++
        continue
      }
      acked.push(...values)
      for (const v of values) sentWith[v] = `${Date.now() - started}ms ${JSON.stringify(meta)}`
    } catch (e) {
      failures++
      console.log(`send failed (${e.message}); continuing`)
    }
    if (!announced && acked.length > 0 && seen.size > 0) {
      ok('ready')
      announced = true
    }
    await sleep(20)
  }
  ok(`produced acked=${acked.length} failedSends=${failures} skippedByClient=${skipped}`)
  await waitFor('every acknowledged message consumed', () => acked.every(v => seen.has(v)), 60000,
    () => `${acked.filter(v => !seen.has(v)).length} of ${acked.length} not consumed yet: ${acked.filter(v => !seen.has(v)).slice(0, 10).map(v => `${v} (${sentWith[v]})`).join(' ')}`)
  ok(`consumed all ${acked.length} acknowledged messages`)
  await Promise.all(consumers.map(c => c.disconnect()))
  const admin = kafka.admin()
  await admin.connect()
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] })
  const offsets = await admin.fetchTopicOffsets(topic)
  const committedAll = entry.partitions.every(p => {
    const hw = offsets.find(o => o.partition === p.partition)
    return hw && Number(p.offset) === Number(hw.high)
  })
  check(committedAll, `committed ${JSON.stringify(entry.partitions)} != high watermarks ${JSON.stringify(offsets)}`)
  ok('offsets committed up to the high watermarks')
  await admin.disconnect()
  await producer.disconnect()
})
