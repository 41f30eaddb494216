'use strict'
// Admin API round trip: createTopics (with a config), listTopics, fetchTopicMetadata,
// describeConfigs, deleteTopics.
const { ConfigResourceTypes } = require('kafkajs')
const { kafka, check, ok, sleep, run } = require('./lib')

run(async () => {
  const topic = process.env.TOPIC || `kjs-admin-${Date.now()}`
  const admin = kafka('akkalog-compat-admin').admin()
  await admin.connect()

  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
    waitForLeaders: true,
  })
  check(created === true, `createTopics returned ${created}`)
  ok(`createTopics ${topic}`)

  const again = await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: false })
  check(again === false, `createTopics of an existing topic returned ${again}, expected false`)
  ok('createTopics existing=false')

  const topics = await admin.listTopics()
  check(topics.includes(topic), `listTopics ${JSON.stringify(topics)} lacks ${topic}`)
  ok('listTopics contains topic')

  const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
  check(metadata.topics.length === 1 && metadata.topics[0].name === topic, `fetchTopicMetadata: ${JSON.stringify(metadata)}`)
  const partitions = metadata.topics[0].partitions.sort((a, b) => a.partitionId - b.partitionId)
  check(partitions.length === 3, `expected 3 partitions, got ${JSON.stringify(partitions)}`)
  partitions.forEach((p, i) => {
    check(p.partitionId === i && p.partitionErrorCode === 0 && p.leader >= 0, `partition ${JSON.stringify(p)}`)
    check(p.replicas.includes(p.leader) && p.isr.includes(p.leader), `replicas/isr without the leader: ${JSON.stringify(p)}`)
  })
  ok('fetchTopicMetadata partitions=3')

  const described = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] }],
    includeSynonyms: false,
  })
  const resource = described.resources[0]
  check(resource && resource.errorCode === 0, `describeConfigs: ${JSON.stringify(described)}`)
  const entry = name => resource.configEntries.find(e => e.configName === name)
  check(entry('retention.ms') && entry('retention.ms').configValue === '3600000', `retention.ms: ${JSON.stringify(entry('retention.ms'))}`)
  check(entry('retention.ms').isDefault === false, `retention.ms is marked default: ${JSON.stringify(entry('retention.ms'))}`)
  check(entry('cleanup.policy') && entry('cleanup.policy').configValue === 'delete', `cleanup.policy: ${JSON.stringify(entry('cleanup.policy'))}`)
  ok('describeConfigs retention.ms=3600000 cleanup.policy=delete')

  await admin.deleteTopics({ topics: [topic], timeout: 10000 })
  let remaining = await admin.listTopics()
  for (let i = 0; i < 20 && remaining.includes(topic); i++) {
    await sleep(250)
    remaining = await admin.listTopics()
  }
  check(!remaining.includes(topic), `${topic} still listed after deleteTopics`)
  ok('deleteTopics gone')

  await admin.disconnect()
})
