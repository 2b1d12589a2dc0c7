/**
 * `@pgqrs/store-conformance`: the vitest suite every `WorkflowStore` passes. A store package calls
 * {@link describeStoreConformance} from one of its test files.
 */
export { describeStoreConformance } from "./describe-store-conformance";
export type { StoreConformanceOptions } from "./describe-store-conformance";
export type { StoreFactory, StoreUnderTest } from "./harness";
