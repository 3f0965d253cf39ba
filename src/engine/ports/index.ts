export type { Clock, TimerHandle } from './clock';
export type { Random } from './random';
export { randomInt, seededRandom } from './random';
