/**
 * DOM building without HTML strings: every value becomes a text node or an attribute set with `setAttribute`, so
 * user data (run inputs, outputs, error messages) is never parsed as markup.
 */

/** What an element may contain: nodes, or values shown as text. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes and listeners of {@link el}. */
export interface Props {
  class?: string;
  id?: string;
  href?: string;
  title?: string;
  /** `data-*` attributes (keys without the prefix). */
  data?: Record<string, string>;
  /** Any other attributes. */
  attrs?: Record<string, string>;
  onClick?: (event: Event) => void;
  onChange?: (event: Event) => void;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Creates an HTML element with text-only content. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class !== undefined) element.className = props.class;
  if (props.id !== undefined) element.id = props.id;
  if (props.href !== undefined) element.setAttribute("href", props.href);
  if (props.title !== undefined) element.title = props.title;
  for (const [key, value] of Object.entries(props.data ?? {})) element.dataset[key] = value;
  for (const [key, value] of Object.entries(props.attrs ?? {})) element.setAttribute(key, value);
  if (props.onClick) element.addEventListener("click", props.onClick);
  if (props.onChange) element.addEventListener("change", props.onChange);
  append(element, children);
  return element;
}

const svgNamespace = "http://www.w3.org/2000/svg";

/** Creates an SVG element; attribute values are set with `setAttribute`, children as for {@link el}. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  append(element, children);
  return element;
}

/** Replaces a node's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
