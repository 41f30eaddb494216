'use strict'
// Consumer groups with kafkajs: three eachMessage consumers share a 6-partition topic (each
// message consumed once, by the member holding its partition, offsets committed); after they all
// disconnect, a restarted consumer resumes from the committed offsets (only new messages, even
// with fromBeginning); two eachBatch consumers (manual resolveOffset + heartbeat) share a second
// topic the same way.
const { kafka, check, ok, waitFor, run } = require('./lib')
const { groupConsumer, stableAssignment, committed, highWatermarks, range } = require('./group-lib')

const PARTITIONS = 6

run(async () => {
  const topic = process.env.TOPIC || `kjs-group-${Date.now()}`
  const batchTopic = `${topic}-batch`
  const groupId = `${topic}-each-message`
  const batchGroupId = `${topic}-each-batch`
  const admin = kafka('kjs-group-admin').admin()
  await admin.connect()
  await admin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS }, { topic: batchTopic, numPartitions: PARTITIONS }],
    waitForLeaders: true,
  })
  const producer = kafka('kjs-group-producer').producer()
  await producer.connect()
  const produce = (t, from, count) =>
    producer.send({ topic: t, acks: -1, messages: range(from, count).map(i => ({ key: `k${i}`, value: `v${i}` })) })

  // eachMessage: three members, messages produced once the group is stable.
  const seen = []
  const consumers = []
  for (let i = 0; i < 3; i++) {
    const clientId = `${groupId}-c${i}`
    const consumer = groupConsumer(clientId, groupId)
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push({ clientId, partition, offset: Number(message.offset), key: message.key.toString() })
      },
    })
    consumers.push(consumer)
  }
  const assignment = await stableAssignment(admin, groupId, topic, PARTITIONS, 3)
  check(Object.values(assignment).every(p => p.length === 2), `uneven assignment ${JSON.stringify(assignment)}`)
  ok('describeGroups Stable members=3 partitions=2 each')

  await produce(topic, 0, 300)
  await waitFor('300 messages (eachMessage)', () => new Set(seen.map(s => s.key)).size >= 300, 30000, () => `seen ${seen.length}`)
  check(seen.every(s => assignment[s.clientId].includes(s.partition)), 'a message was consumed by a member not assigned its partition')
  const hw = await highWatermarks(admin, topic)
  await waitFor('offsets committed up to the high watermarks', async () => {
    const c = await committed(admin, groupId, topic)
    return range(0, PARTITIONS).every(p => c[p] === hw[p])
  })
  await Promise.all(consumers.map(c => c.disconnect()))
  check(seen.length === 300, `eachMessage saw ${seen.length} messages for 300 produced (duplicates)`)
  ok('eachMessage consumed=300 once each by the partition owner')

  const afterStop = await committed(admin, groupId, topic)
  check(range(0, PARTITIONS).every(p => afterStop[p] === hw[p]), `fetchOffsets ${JSON.stringify(afterStop)} != high watermarks ${JSON.stringify(hw)}`)
  ok('fetchOffsets equals the high watermarks')
  const { groups: [stopped] } = await admin.describeGroups([groupId])
  check(stopped.state === 'Empty' && stopped.members.length === 0, `after disconnect: ${JSON.stringify(stopped)}`)
  ok('describeGroups Empty after disconnect')

  // Restart: a new member of the same group (fromBeginning: true) gets only what came after the commit.
  await produce(topic, 300, 60)
  const resumed = []
  const restarted = groupConsumer(`${groupId}-restarted`, groupId)
  await restarted.connect()
  await restarted.subscribe({ topic, fromBeginning: true })
  await restarted.run({
    eachMessage: async ({ partition, message }) => { resumed.push({ partition, offset: Number(message.offset), key: message.key.toString() }) },
  })
  await waitFor('60 new messages after the restart', () => resumed.length >= 60, 30000, () => `got ${resumed.length}`)
  const hw2 = await highWatermarks(admin, topic)
  await waitFor('the restarted member commits', async () => {
    const c = await committed(admin, groupId, topic)
    return range(0, PARTITIONS).every(p => c[p] === hw2[p])
  })
  await restarted.disconnect()
  check(resumed.length === 60, `restarted consumer got ${resumed.length} messages, expected the 60 new ones`)
  check(resumed.every(r => Number(r.key.slice(1)) >= 300), 'restarted consumer re-read an old message')
  for (let p = 0; p < PARTITIONS; p++) {
    const first = resumed.find(r => r.partition === p)
    check(!first || first.offset === hw[p], `partition ${p} resumed at ${first && first.offset}, committed ${hw[p]}`)
  }
  ok('restarted consumer resumed at the committed offsets: consumed=60 new')

  // eachBatch: two members resolving offsets themselves.
  const batchSeen = []
  const batchConsumers = []
  for (let i = 0; i < 2; i++) {
    const clientId = `${batchGroupId}-c${i}`
    const consumer = groupConsumer(clientId, batchGroupId)
    await consumer.connect()
    await consumer.subscribe({ topic: batchTopic, fromBeginning: true })
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break
          batchSeen.push({ clientId, partition: batch.partition, key: message.key.toString() })
          resolveOffset(message.offset)
          await heartbeat()
        }
      },
    })
    batchConsumers.push(consumer)
  }
  const batchAssignment = await stableAssignment(admin, batchGroupId, batchTopic, PARTITIONS, 2)
  await produce(batchTopic, 0, 200)
  await waitFor('200 messages (eachBatch)', () => new Set(batchSeen.map(s => s.key)).size >= 200, 30000, () => `seen ${batchSeen.length}`)
  const batchHw = await highWatermarks(admin, batchTopic)
  await waitFor('eachBatch offsets committed', async () => {
    const c = await committed(admin, batchGroupId, batchTopic)
    return range(0, PARTITIONS).every(p => c[p] === batchHw[p])
  })
  await Promise.all(batchConsumers.map(c => c.disconnect()))
  check(batchSeen.length === 200, `eachBatch saw ${batchSeen.length} messages for 200 produced (duplicates)`)
  check(batchSeen.every(s => batchAssignment[s.clientId].includes(s.partition)), 'eachBatch: message from a partition not assigned')
  ok('eachBatch consumed=200 once each, offsets committed')

  await producer.disconnect()
  await admin.disconnect()
})
