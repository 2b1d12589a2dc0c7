import { core } from "@pgqrs/eslint-config";

export default core;
