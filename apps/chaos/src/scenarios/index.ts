/** The suite's scenarios, in running order. */
import type { Scenario } from "../scenario";
import { backendKills } from "./backend-kills";
import { badInput } from "./bad-input";
import { claimStorm } from "./claim-storm";
import { killStorm } from "./kill-storm";
import { poisonRun } from "./poison";
import { postgresRestart } from "./postgres-restart";
import { zombieFencing } from "./zombie";

/** Every scenario, in the order the suite runs them (the Postgres restart late: it disturbs the whole server). */
export const scenarios: Scenario[] = [killStorm, backendKills, zombieFencing, claimStorm, poisonRun, badInput, postgresRestart];
