// checkpoint-acknowledged carries the figures the acknowledgement message brings the coordinator, so the
// event stream and the REST statistics can never disagree about a subtask's checkpoint.
import { expect, it } from 'vitest';
import type { EventOf } from '../../engine/events';
import type { JobMasterMessage } from '../../engine/task/messages';
import { acknowledgementMetricsOf } from '../../engine/task/subtask-checkpoint';
import { runScenario } from './run-scenario';
import { parseFault } from './fault-plan';

it('checkpoint-acknowledged carries exactly the metrics of the acknowledge message', () => {
  const sent: Array<Extract<JobMasterMessage, { type: 'acknowledge-checkpoint' }>> = [];
  const result = runScenario({
    scenario: 'running-sum',
    parallelism: 2,
    checkpointIntervalMs: 300,
    mode: 'exactly-once',
    seed: 9,
    keys: 40,
    recordsPerSecond: 50,
    configuration: { 'execution.checkpointing.incremental': true },
    faults: [parseFault('kill:sum#0@1000'), parseFault('delay-channel:numbers#1@0+40')],
    onStart: (simulation) => {
      const receive = simulation.jobMaster.receive.bind(simulation.jobMaster);
      simulation.jobMaster.receive = (message) => {
        if (message.type === 'acknowledge-checkpoint') sent.push(message);
        receive(message);
      };
    },
  });
  const acks = result.events.filter((event): event is EventOf<'checkpoint-acknowledged'> => event.type === 'checkpoint-acknowledged');
  expect(acks.length).toBeGreaterThan(10);
  expect(acks.some((ack) => ack.alignmentDurationMs > 0 && ack.processedDataBytes > 0)).toBe(true);
  expect(acks.some((ack) => ack.checkpointedSizeBytes < ack.stateSizeBytes)).toBe(true);
  // Every ack the coordinator received was announced by its event, with the same attempt and figures.
  for (const message of sent) {
    const event = acks.find((ack) => ack.taskId === message.taskId && ack.checkpointId === message.checkpointId && ack.attempt === message.attempt);
    expect(event, `${message.taskId} ack of ${message.checkpointId}`).toBeDefined();
    const { type: _type, time, taskId: _taskId, attempt: _attempt, checkpointId: _checkpointId, ...metrics } = event!;
    expect(metrics).toEqual(acknowledgementMetricsOf(message.metrics));
    expect(time).toBe(message.metrics.ackTimestamp);
  }
  expect(sent.length).toBeGreaterThan(0);
});
