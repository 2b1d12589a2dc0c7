import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import { describeEndToEnd } from "./e2e/suite";
import { openPostgresStore } from "./e2e/postgres";

// Under CI=true an unreachable server throws here: the suite fails instead of skipping.
const hasPostgres = await postgresAvailable();

describeEndToEnd({ name: "postgres", skip: !hasPostgres, open: openPostgresStore });
