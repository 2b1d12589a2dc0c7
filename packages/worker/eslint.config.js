import { worker } from "@pgqrs/eslint-config";

export default worker;
