// The API tab: a definition editor calling POST /api/run, drawn with the same table and chart
// as the bot's messages; with a "sweep" or a "seek" (issue 14), each scenario's final values or
// the answer and the run at it.
import { displayNumber, escapeHtml, lineChart, tableHtml } from "./blocks.js";

const CHART_SERIES = 6;
const $ = (selector) => document.querySelector(selector);

export function setupApi() {
  $("#api-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
}

async function run() {
  const definition = $("#api-definition").value;
  const rounds = $("#api-rounds").value.trim();
  if (rounds && !/^\d+$/.test(rounds)) {
    return showError({ message: "Rounds must be a whole number, such as 20." }, definition);
  }
  const extra = readExtra();
  if (extra.error) return showError(extra.error, definition);
  const body = { ...extra.fields, definition, ...(rounds ? { rounds: Number(rounds) } : {}) };
  $("#api-result").innerHTML = "<p>Running…</p>";
  try {
    const response = await fetch("/api/run", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    const asked = extra.fields.seek ?? {};
    if (answer.error) showError(answer.error, definition, answer.seek && samplesTable(answer.seek, asked));
    else if (answer.scenarios) showSweep(answer);
    else showResult(answer, answer.seek && seekLine(answer.seek, asked));
  } catch (error) {
    showError({ message: `Could not reach the local server (${error.message}).` }, definition);
  }
}

// The optional JSON box: an object whose fields join the body ("sweep", "seek", "overrides").
function readExtra() {
  const text = $("#api-extra").value.trim();
  if (!text) return { fields: {} };
  try {
    const fields = JSON.parse(text);
    if (fields && typeof fields === "object" && !Array.isArray(fields)) return { fields };
  } catch {
    // said below
  }
  return {
    error: {
      message: "The sweep or goal seek box must hold a JSON object.",
      hint: 'For example {"sweep": {"PhoneScreens": [10, 20, 30]}}.',
    },
  };
}

function showSweep(answer) {
  markInvalid(false);
  const ran = answer.scenarios.filter((scenario) => !scenario.error);
  const label = (scenario) => `${answer.stock}=${scenario.value}`;
  const stocks = ran.length ? ran[0].columns.slice(1) : [];
  const finals = ran.map((scenario) => scenario.rows[scenario.rows.length - 1]);
  const notes = [...answer.warnings];
  for (const scenario of answer.scenarios) {
    if (scenario.error) notes.push(`${label(scenario)}: ${scenario.error.message}`);
    else notes.push(...scenario.warnings.map((warning) => `${label(scenario)}: ${warning}`));
  }
  const cells = ran.map((scenario, i) => [
    escapeHtml(label(scenario)),
    ...finals[i].slice(1).map((value) => escapeHtml(displayNumber(value))),
  ]);
  const header = ["scenario", ...stocks].map(escapeHtml);
  const alignRight = header.map(() => ({ align: "right" }));
  const table = tableHtml([header, ...cells], alignRight, "Sweep table");
  const rounds = ran.length ? Math.min(...ran.map((scenario) => scenario.rows.length)) - 1 : 0;
  $("#api-result").innerHTML = `
    <p class="api-summary"><strong>${plural(answer.scenarios.length, "scenario")} of
      <code>${escapeHtml(answer.stock)}</code> · ${rounds} rounds</strong></p>
    ${notes.map((note) => `<p class="warning"><strong>Warning:</strong> ${escapeHtml(note)}</p>`).join("")}
    ${sweepChart(answer.stock, ran, stocks, rounds)}
    ${table}`;
}

// The stock whose final values spread most across the scenarios (the last on a tie), one line
// per scenario (the first 6), as the bot's sweep message draws it.
function sweepChart(swept, ran, stocks, rounds) {
  const finals = ran.map((scenario) => scenario.rows[rounds]);
  const spread = (j) => {
    const values = finals.map((row) => row[j + 1]).filter((value) => typeof value === "number");
    const size = Math.max(...values.map(Math.abs));
    return values.length === finals.length && size ? (Math.max(...values) - Math.min(...values)) / size : 0;
  };
  const candidates = stocks.map((name, j) => j).filter((j) => stocks[j] !== swept);
  if (!candidates.length) return "";
  const column = candidates.reduce((best, j) => (spread(j) >= spread(best) ? j : best)) + 1;
  const categories = Array.from({ length: rounds + 1 }, (_, round) => String(round));
  const series = ran.slice(0, CHART_SERIES).map((scenario) => ({
    name: `${swept}=${scenario.value}`,
    data: scenario.rows
      .slice(0, rounds + 1)
      .map((row) => ({ label: String(row[0]), value: row[column] }))
      .filter((point) => typeof point.value === "number"),
  }));
  const title = `${stocks[column - 1]} by scenario`;
  return lineChart({ title, categories, series, xLabel: "round" });
}

// The answer: the value found, the one just past it where the goal fails, and the search.
function seekLine(seek, asked) {
  const vary = escapeHtml(asked.vary ?? "value");
  return `<p class="api-summary" id="api-seek"><strong>Found <code>${vary}=${escapeHtml(
    seek.value,
  )}</code></strong>; with <code>${vary}=${escapeHtml(seek.failing_value)}</code> the goal fails. ${searched(seek)}</p>`;
}

function searched(seek) {
  const [low, high] = seek.range.map(escapeHtml);
  return `${plural(seek.runs, "run")}, searching ${low} to ${high} in steps of ${escapeHtml(seek.step)}.`;
}

// No answer: the values the search tried instead.
function samplesTable(seek, asked) {
  const header = [asked.vary ?? "value", asked.target ?? "goal's stock", "goal"].map(escapeHtml);
  const states = { true: "holds", false: "fails", null: "not known" };
  const rows = seek.samples.map((sample) => [
    escapeHtml(displayNumber(sample.value)),
    escapeHtml(sample.target_value === null ? "-" : displayNumber(sample.target_value)),
    states[sample.holds],
  ]);
  return `<p id="api-samples">The values tried: ${searched(seek)}</p>${tableHtml(
    [header, ...rows],
    header.map(() => ({ align: "right" })),
    "Values tried",
  )}`;
}

function showResult(result, answerLine = "") {
  markInvalid(false);
  const [, ...stocks] = result.columns;
  const rounds = Math.max(result.rows.length - 1, 0);
  const notes = [...result.warnings];
  if (result.truncated) notes.unshift("The run was cut short.");
  if (stocks.length > CHART_SERIES) notes.push(`The chart shows the first ${CHART_SERIES} stocks.`);
  const cells = result.rows.map((row) => row.map((value) => escapeHtml(displayNumber(value))));
  const alignRight = result.columns.map(() => ({ align: "right" }));
  const table = tableHtml([result.columns.map(escapeHtml), ...cells], alignRight, "Result table");
  $("#api-result").innerHTML = `
    ${answerLine}
    <p class="api-summary"><strong>${plural(stocks.length, "stock")} · ${rounds} rounds</strong></p>
    ${notes.map((note) => `<p class="warning"><strong>Warning:</strong> ${escapeHtml(note)}</p>`).join("")}
    ${chartOf(result)}
    ${table}`;
}

function chartOf(result) {
  const categories = result.rows.map((row) => String(row[0]));
  const series = result.columns.slice(1, CHART_SERIES + 1).map((name, j) => ({
    name,
    data: result.rows
      .map((row) => ({ label: String(row[0]), value: row[j + 1] }))
      .filter((point) => typeof point.value === "number"),
  }));
  if (!series.some((s) => s.data.length)) return "";
  const title = `Stocks over ${categories.length - 1} rounds`;
  return lineChart({ title, categories, series, xLabel: "round" });
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// The message, then the offending line with a caret under the column, as the bot shows it.
function showError(error, definition, samples = "") {
  markInvalid(true);
  const lines = [];
  if (error.line) {
    const source = definition.split("\n")[error.line - 1] ?? "";
    const gutter = `${error.line} | `;
    lines.push(`Line ${error.line}${error.column ? `, column ${error.column}` : ""}`);
    lines.push(gutter + source);
    if (error.column) lines.push(`${" ".repeat(gutter.length - 2)}| ${" ".repeat(error.column - 1)}^`);
  }
  $("#api-result").innerHTML = `<div class="api-error" id="api-error" role="alert">
    <p><strong>Error:</strong> ${withCode(error.message)}</p>
    ${lines.length ? `<pre class="code-block caret">${escapeHtml(lines.join("\n"))}</pre>` : ""}
    ${error.hint ? `<p><strong>Hint:</strong> ${withCode(error.hint)}</p>` : ""}
  </div>${samples}`;
}

// Messages quote names in `backticks`, as in Slack.
function withCode(text) {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function markInvalid(invalid) {
  const editor = $("#api-definition");
  if (invalid) {
    editor.setAttribute("aria-invalid", "true");
    editor.setAttribute("aria-describedby", "api-help api-error");
  } else {
    editor.removeAttribute("aria-invalid");
    editor.setAttribute("aria-describedby", "api-help");
  }
}
