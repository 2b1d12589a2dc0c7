import type { ApiThroughput } from "../../src/api-types";
import { el, svg } from "./dom";
import { formatClock, formatCount } from "./format";

const width = 720;
const height = 130;
const margin = { top: 10, right: 8, bottom: 22, left: 40 };

/** Rounds a maximum up to a tidy axis value (1, 2, 5 × 10ⁿ). */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

/** The throughput chart: one stacked bar per bucket (succeeded below, failed above), as inline SVG. */
export function throughputChart(throughput: ApiThroughput): HTMLElement {
  const totals = throughput.buckets.reduce(
    (sum, bucket) => ({ success: sum.success + bucket.success, error: sum.error + bucket.error }),
    { success: 0, error: 0 },
  );
  const max = niceMax(Math.max(0, ...throughput.buckets.map((bucket) => bucket.success + bucket.error)));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const slot = plotWidth / Math.max(1, throughput.buckets.length);
  const y = (value: number) => margin.top + plotHeight - (value / max) * plotHeight;

  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart",
    role: "img",
    "aria-label": "Finished runs per minute over the last hour",
  });
  for (const tick of [0, max / 2, max]) {
    chart.append(
      svg("line", { x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick), class: "grid" }),
      svg("text", { x: margin.left - 6, y: y(tick) + 4, "text-anchor": "end", class: "axis" }, formatCount(tick)),
    );
  }
  throughput.buckets.forEach((bucket, index) => {
    const x = margin.left + index * slot + 1;
    const barWidth = Math.max(1, slot - 2);
    const group = svg("g", { class: "bar" });
    group.append(svg("title", {}, `${formatClock(bucket.at)}: ${bucket.success} succeeded, ${bucket.error} failed`));
    if (bucket.success > 0) {
      group.append(svg("rect", { x, width: barWidth, y: y(bucket.success), height: y(0) - y(bucket.success), class: "ok" }));
    }
    if (bucket.error > 0) {
      const top = bucket.success + bucket.error;
      group.append(svg("rect", { x, width: barWidth, y: y(top), height: y(bucket.success) - y(top), class: "failed" }));
    }
    // A transparent full-height target, so the tooltip shows for empty minutes too.
    group.append(svg("rect", { x, width: barWidth, y: margin.top, height: plotHeight, class: "hit" }));
    chart.append(group);
  });
  const labelEvery = Math.max(1, Math.round(throughput.buckets.length / 6));
  throughput.buckets.forEach((bucket, index) => {
    if (index % labelEvery !== 0) return;
    const x = margin.left + index * slot;
    chart.append(svg("text", { x, y: height - 6, class: "axis" }, formatClock(bucket.at)));
  });
  chart.append(svg("text", { x: width - margin.right, y: height - 6, "text-anchor": "end", class: "axis" }, "now"));

  const finished = totals.success + totals.error;
  const prefix = throughput.complete ? "" : "at least ";
  return el(
    "figure",
    { class: "throughput" },
    el(
      "figcaption",
      {},
      el("span", { data: { testid: "throughput-total" } }, `${prefix}${formatCount(finished)}`),
      ` runs finished in the last hour (${formatCount(totals.success)} succeeded, ${formatCount(totals.error)} failed)`,
      el("span", { class: "legend" }, el("i", { class: "swatch ok" }), "succeeded", el("i", { class: "swatch failed" }), "failed"),
    ),
    chart,
  );
}
