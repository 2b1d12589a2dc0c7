import { client } from "@pgqrs/eslint-config";

export default client;
