'use strict'
// Group administration with kafkajs against a group that has committed offsets: listGroups,
// describeGroups, deleteGroups (refused while a member runs, then deleted), resetOffsets (refused
// while running; earliest/latest commit Kafka's -2/-1 markers), and setOffsets, from which a new
// member then consumes.
const { kafka, check, ok, waitFor, run } = require('./lib')
const { groupConsumer, stableAssignment, committed, range } = require('./group-lib')

const PARTITIONS = 3
const PER_PARTITION = 10

run(async () => {
  const topic = process.env.TOPIC || `kjs-group-admin-${Date.now()}`
  const groupId = `${topic}-group`
  const admin = kafka('kjs-group-admin').admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })
  const producer = kafka('kjs-group-admin-producer').producer()
  await producer.connect()
  await producer.send({
    topic,
    acks: -1,
    messages: range(0, PARTITIONS * PER_PARTITION).map(i => ({ partition: i % PARTITIONS, key: `k${i}`, value: `v${i}` })),
  })
  await producer.disconnect()

  // One member consumes everything and commits; it keeps running for the "non-empty" checks.
  const seen = []
  const member = groupConsumer(`${groupId}-member`, groupId)
  await member.connect()
  await member.subscribe({ topic, fromBeginning: true })
  await member.run({ eachMessage: async ({ partition, message }) => { seen.push({ partition, offset: Number(message.offset) }) } })
  await stableAssignment(admin, groupId, topic, PARTITIONS, 1)
  await waitFor('everything committed', async () => {
    const c = await committed(admin, groupId, topic)
    return range(0, PARTITIONS).every(p => c[p] === PER_PARTITION)
  }, 30000, () => `seen ${seen.length}`)

  const { groups } = await admin.listGroups()
  const listed = groups.find(g => g.groupId === groupId)
  check(listed && listed.protocolType === 'consumer', `listGroups: ${JSON.stringify(groups)}`)
  ok('listGroups contains the group protocolType=consumer')

  const { groups: [running] } = await admin.describeGroups([groupId])
  check(running.state === 'Stable' && running.protocolType === 'consumer' && running.protocol === 'RoundRobinAssigner',
    `describeGroups: ${JSON.stringify(running)}`)
  check(running.members.length === 1 && running.members[0].clientId === `${groupId}-member`, `members: ${JSON.stringify(running.members)}`)
  ok('describeGroups Stable protocol=RoundRobinAssigner members=1')

  const deleteError = await admin.deleteGroups([groupId]).then(() => null, e => e)
  check(deleteError && deleteError.name === 'KafkaJSDeleteGroupsError', `deleteGroups of a running group: ${deleteError}`)
  const failed = deleteError.groups.find(g => g.groupId === groupId)
  check(failed && failed.error && failed.error.type === 'NON_EMPTY_GROUP', `deleteGroups errors: ${JSON.stringify(deleteError.groups)}`)
  ok('deleteGroups running group refused NON_EMPTY_GROUP')

  const resetError = await admin.resetOffsets({ groupId, topic, earliest: true }).then(() => null, e => e)
  check(resetError && /no running instances/.test(resetError.message), `resetOffsets of a running group: ${resetError}`)
  ok('resetOffsets running group refused')

  await member.disconnect()
  check(seen.length === PARTITIONS * PER_PARTITION, `member consumed ${seen.length}`)
  const { groups: [empty] } = await admin.describeGroups([groupId])
  check(empty.state === 'Empty' && empty.members.length === 0, `after disconnect: ${JSON.stringify(empty)}`)
  ok('describeGroups Empty after disconnect')

  // As on Apache Kafka, resetOffsets commits the -2/-1 markers (fetchOffsets' resolveOffsets
  // would turn them into offsets). Each admin offset change takes kafkajs 5 s (its idle fetch wait).
  await admin.resetOffsets({ groupId, topic, earliest: true })
  let c = await committed(admin, groupId, topic)
  check(range(0, PARTITIONS).every(p => c[p] === -2), `after resetOffsets earliest: ${JSON.stringify(c)}`)
  ok('resetOffsets earliest committed=-2')
  await admin.resetOffsets({ groupId, topic, earliest: false })
  c = await committed(admin, groupId, topic)
  check(range(0, PARTITIONS).every(p => c[p] === -1), `after resetOffsets latest: ${JSON.stringify(c)}`)
  ok('resetOffsets latest committed=-1')

  const target = { 0: 3, 1: 7, 2: PER_PARTITION }
  await admin.setOffsets({ groupId, topic, partitions: range(0, PARTITIONS).map(p => ({ partition: p, offset: String(target[p]) })) })
  c = await committed(admin, groupId, topic)
  check(range(0, PARTITIONS).every(p => c[p] === target[p]), `after setOffsets: ${JSON.stringify(c)}`)
  ok('setOffsets committed 3,7,10')

  // A new member starts where setOffsets put the group (fromBeginning would say 0 otherwise).
  const resumed = []
  const next = groupConsumer(`${groupId}-next`, groupId)
  await next.connect()
  await next.subscribe({ topic, fromBeginning: true })
  await next.run({ eachMessage: async ({ partition, message }) => { resumed.push({ partition, offset: Number(message.offset) }) } })
  const expected = range(0, PARTITIONS).reduce((n, p) => n + PER_PARTITION - target[p], 0)
  await waitFor(`${expected} messages from the set offsets`, () => resumed.length >= expected, 30000, () => `got ${resumed.length}`)
  await waitFor('committed again', async () => {
    const now = await committed(admin, groupId, topic)
    return range(0, PARTITIONS).every(p => now[p] === PER_PARTITION)
  })
  await next.disconnect()
  check(resumed.length === expected, `consumed ${resumed.length}, expected ${expected}`)
  for (let p = 0; p < PARTITIONS; p++) {
    const offsets = resumed.filter(r => r.partition === p).map(r => r.offset)
    check(JSON.stringify(offsets) === JSON.stringify(range(target[p], PER_PARTITION - target[p])), `partition ${p}: ${offsets}`)
  }
  ok('consumer resumed from the set offsets')

  const deleted = await admin.deleteGroups([groupId])
  check(deleted.length === 1 && deleted[0].groupId === groupId && deleted[0].errorCode === 0, `deleteGroups: ${JSON.stringify(deleted)}`)
  const { groups: after } = await admin.listGroups()
  check(!after.some(g => g.groupId === groupId), `deleted group still listed: ${JSON.stringify(after)}`)
  c = await committed(admin, groupId, topic)
  check(range(0, PARTITIONS).every(p => c[p] === -1), `offsets of the deleted group: ${JSON.stringify(c)}`)
  const { groups: [dead] } = await admin.describeGroups([groupId])
  check(dead.state === 'Dead' && dead.members.length === 0, `describeGroups of the deleted group: ${JSON.stringify(dead)}`)
  ok('deleteGroups empty group deleted, gone from listGroups, offsets gone')

  await admin.disconnect()
})
