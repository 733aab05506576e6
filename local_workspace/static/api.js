// The API tab: a definition editor calling POST /api/run, drawn with the same table and chart
// as the bot's messages.
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
  const body = { definition, ...(rounds ? { rounds: Number(rounds) } : {}) };
  $("#api-result").innerHTML = "<p>Running…</p>";
  try {
    const response = await fetch("/api/run", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (answer.error) showError(answer.error, definition);
    else showResult(answer);
  } catch (error) {
    showError({ message: `Could not reach the local server (${error.message}).` }, definition);
  }
}

function showResult(result) {
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
function showError(error, definition) {
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
  </div>`;
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
