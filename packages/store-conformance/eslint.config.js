import { store } from "@pgqrs/eslint-config";

export default store;
