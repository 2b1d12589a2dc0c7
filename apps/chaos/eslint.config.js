import { base } from "@pgqrs/eslint-config";

export default base;
