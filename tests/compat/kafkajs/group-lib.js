'use strict'
// Helpers shared by the consumer-group scripts (group-consume.js, group-admin.js).
const { AssignerProtocol } = require('kafkajs')
const { kafka, waitFor } = require('./lib')

// A consumer with fast group settings: the broker's minimum session timeout, heartbeats every
// 500 ms (so a rebalance is noticed quickly) and short fetch waits. Its client id names it in
// describeGroups.
function groupConsumer(clientId, groupId) {
  return kafka(clientId).consumer({
    groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 15000,
    maxWaitTimeInMs: 200,
    retry: { retries: 8, initialRetryTime: 100 },
  })
}

// Waits until describeGroups reports the group Stable with `members` members that together hold
// each of the `partitions` partitions of `topic` once; returns { clientId: [partitions] }.
async function stableAssignment(admin, groupId, topic, partitions, members) {
  let last = ''
  return waitFor(`${groupId} Stable with ${members} members`, async () => {
    const { groups: [group] } = await admin.describeGroups([groupId])
    const byClient = {}
    for (const m of group.members) {
      const decoded = m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null
      byClient[m.clientId] = ((decoded && decoded.assignment[topic]) || []).slice().sort((a, b) => a - b)
    }
    last = `${group.state} ${JSON.stringify(byClient)}`
    if (group.state !== 'Stable' || group.members.length !== members) return null
    const all = Object.values(byClient).flat()
    return all.length === partitions && new Set(all).size === partitions ? byClient : null
  }, 30000, () => last)
}

// { partition: offset } committed for `topic` (as numbers; -1 when none).
async function committed(admin, groupId, topic, resolveOffsets = false) {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic], resolveOffsets })
  return Object.fromEntries(entry.partitions.map(p => [p.partition, Number(p.offset)]))
}

// { partition: high watermark } of `topic`.
async function highWatermarks(admin, topic) {
  const offsets = await admin.fetchTopicOffsets(topic)
  return Object.fromEntries(offsets.map(p => [p.partition, Number(p.high)]))
}

const range = (from, count) => Array.from({ length: count }, (_, i) => from + i)

module.exports = { groupConsumer, stableAssignment, committed, highWatermarks, range }
