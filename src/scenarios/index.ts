// The named scenarios the CLI, the page and the tests can run.
import type { Scenario } from './scenario';
import { runningSum } from './running-sum';
import { orderTotals } from './order-totals';
import { keyedSum } from './keyed-sum';

export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map([runningSum, orderTotals, keyedSum].map((scenario) => [scenario.name, scenario]));

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.get(name);
  if (!scenario) throw new Error(`Unknown scenario '${name}'. Available: ${[...SCENARIOS.keys()].join(', ')}`);
  return scenario;
}

export type { LedgerExpectation, LedgerProgress, Scenario, ScenarioParameters } from './scenario';
export { checkAgainstLedger } from './scenario';
