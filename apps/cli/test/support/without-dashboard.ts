/**
 * Preloaded with `--import` (after tsx) by the test of an install without `@pgqrs/dashboard`: resolves that one
 * package from the filesystem root, where no `node_modules` holds it, so Node throws its own "Cannot find package"
 * error, as it does for a CLI installed alone.
 */
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, specifier === "@pgqrs/dashboard" ? { ...context, parentURL: "file:///" } : context);
}`;

register(`data:text/javascript,${encodeURIComponent(hook)}`);
