// Block Kit and mrkdwn rendered as HTML strings, close enough to Slack's to judge a message.
// Everything from the bot passes through escapeHtml; only tags built here reach the page.

// Text symbols rather than colour emoji: every system font has them, so nothing shows as a box.
const EMOJI = {
  warning: "⚠",
  scissors: "✂",
  repeat: "↻",
  pencil2: "✏",
  heavy_plus_sign: "✚",
  white_check_mark: "✔",
  heavy_check_mark: "✔",
  x: "✖",
  information_source: "ℹ",
  arrow_right: "→",
  star: "★",
};
const SLACK_ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };
const SAFE_LINK = /^(https?:|mailto:)/i;
const COLORS = ["#1264a3", "#d55e00", "#007a5a", "#cc79a7", "#b58900", "#56b4e9"];
// A dash pattern per series too, so the lines differ by more than colour.
const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

export function escapeHtml(text) {
  return String(text ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function unescapeSlack(text) {
  return text.replace(/&(amp|lt|gt);/g, (entity) => SLACK_ENTITIES[entity]);
}

function emoji(name) {
  const glyph = EMOJI[name];
  if (!glyph) return `:${escapeHtml(name)}:`;
  return `<span class="emoji" role="img" aria-label="${escapeHtml(name)}">${glyph}</span>`;
}

// -- mrkdwn -----------------------------------------------------------------------------------

export function mrkdwn(text, names = {}) {
  const parts = String(text ?? "").split("```");
  if (parts.length % 2 === 0) {
    const unclosed = parts.pop(); // an odd number of fences: the last one is literal
    parts[parts.length - 1] += "```" + unclosed;
  }
  return parts
    .map((part, i) =>
      i % 2
        ? `<pre class="code-block">${escapeHtml(unescapeSlack(part.replace(/^\n/, "")))}</pre>`
        : inline(part, names),
    )
    .join("");
}

// Code spans and Slack's control sequences (<@U123>, <#C123|name>, <!here>, <url|label>) are
// drawn first and held aside as placeholders, so that bold, italics and strikethrough can wrap
// them within a line, as Slack does: `*There is no stock called `x`.*` is bold throughout.
const HOLD_START = "\uE000";
const HOLD_END = "\uE001";
const HELD = new RegExp(`${HOLD_START}(\\d+)${HOLD_END}`, "g");

function inline(text, names) {
  const held = [];
  const hold = (html) => `${HOLD_START}${held.push(html) - 1}${HOLD_END}`;
  const marked = text
    .replaceAll(HOLD_START, "")
    .replaceAll(HOLD_END, "")
    .replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(unescapeSlack(code))}</code>`))
    .replace(/<([^<>\n]+)>/g, (_, sequence) => hold(control(sequence, names)));
  // A link's label may hold a code span: what is held may hold what was held before it.
  const restore = (html) => html.replace(HELD, (_, index) => restore(held[Number(index)]));
  return restore(styled(marked));
}

function control(sequence, names) {
  const [target, label] = sequence.split("|", 2);
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(label || names[id] || id)}</span>`;
  }
  if (target.startsWith("#")) return `<span class="mention">#${escapeHtml(label || target)}</span>`;
  if (target.startsWith("!")) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const url = unescapeSlack(target);
  const shown = styled(label ?? target);
  if (!SAFE_LINK.test(url)) return shown;
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${shown}</a>`;
}

function styled(text) {
  const edge = "(^|[\\s(\"'])";
  const end = "(?=$|[\\s).,:;!?\"'])";
  return escapeHtml(unescapeSlack(text))
    .replace(new RegExp(`${edge}\\*([^*\\n]+)\\*${end}`, "g"), "$1<strong>$2</strong>")
    .replace(new RegExp(`${edge}_([^_\\n]+)_${end}`, "g"), "$1<em>$2</em>")
    .replace(new RegExp(`${edge}~([^~\\n]+)~${end}`, "g"), "$1<s>$2</s>")
    .replace(/:([a-z0-9_+-]+):/g, (whole, name) => (EMOJI[name] ? emoji(name) : whole));
}

function textObject(text, names) {
  if (!text) return "";
  return text.type === "mrkdwn" ? mrkdwn(text.text, names) : escapeHtml(text.text);
}

// -- blocks -----------------------------------------------------------------------------------

// ctx: { names: {userId: name}, idPrefix: "modal", errors: {blockId: text} }
export function renderBlocks(blocks, ctx = {}) {
  return (blocks || []).map((block, i) => renderBlock(block, { names: {}, ...ctx, index: i })).join("");
}

function renderBlock(block, ctx) {
  const render = BLOCKS[block.type];
  if (!render) return `<p class="bk-unknown">[${escapeHtml(block.type)} block: not drawn here]</p>`;
  return render(block, ctx);
}

// The blocks the bot sends, which are the ones the Slack stand-in accepts.
const BLOCKS = {
  section: (block, ctx) =>
    `<div class="bk-section"><div class="mrkdwn">${textObject(block.text, ctx.names)}</div></div>`,
  header: (block) => `<h3 class="bk-header">${escapeHtml(block.text?.text)}</h3>`,
  context: (block, ctx) => {
    const parts = (block.elements || []).map(
      (item) => `<span class="mrkdwn">${textObject(item, ctx.names)}</span>`,
    );
    return `<div class="bk-context">${parts.join("")}</div>`;
  },
  actions: (block, ctx) =>
    `<div class="bk-actions">${(block.elements || []).map((item) => button(item, ctx)).join("")}</div>`,
  rich_text: (block) =>
    `<div class="bk-rich">${(block.elements || []).map(preformatted).join("")}</div>`,
  table: (block) =>
    tableHtml(
      (block.rows || []).map((row) => row.map((cell) => escapeHtml(cell.text))),
      block.column_settings,
    ),
  data_visualization: (block) => chartHtml(block),
  input: (block, ctx) => inputHtml(block, ctx),
};

function button(item, ctx) {
  const style = item.style ? ` ${escapeHtml(item.style)}` : "";
  return `<button type="button" class="bk-button${style}" data-action-id="${escapeHtml(
    item.action_id,
  )}" data-focus-key="${escapeHtml(ctx.focusPrefix || "")}:${escapeHtml(item.action_id)}">${escapeHtml(
    item.text?.text,
  )}</button>`;
}

function preformatted(container) {
  const text = (container.elements || []).map((item) => escapeHtml(item.text)).join("");
  return `<pre class="code-block">${text}</pre>`;
}

// rows: arrays of cell HTML, the first row the header.
export function tableHtml(rows, settings = [], label = "Table") {
  if (!rows.length) return "";
  const align = (i) => ` class="align-${escapeHtml(settings?.[i]?.align || "left")}"`;
  const head = rows[0].map((cell, i) => `<th scope="col"${align(i)}>${cell}</th>`).join("");
  const body = rows
    .slice(1)
    .map((row) => `<tr>${row.map((cell, i) => `<td${align(i)}>${cell}</td>`).join("")}</tr>`)
    .join("");
  // A scrolling region must be focusable so keyboard users can scroll it.
  return `<div class="bk-table-wrap" role="region" tabindex="0" aria-label="${escapeHtml(
    label,
  )}"><table class="bk-table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function inputHtml(block, ctx) {
  const item = block.element || {};
  const id = `${ctx.idPrefix || "input"}-${escapeHtml(block.block_id || ctx.index)}`;
  const error = ctx.errors?.[block.block_id];
  const attributes = [
    `id="${id}"`,
    `data-block-id="${escapeHtml(block.block_id)}"`,
    `data-action-id="${escapeHtml(item.action_id)}"`,
    `aria-describedby="${id}-error"`,
    error ? 'aria-invalid="true"' : "",
    item.placeholder ? `placeholder="${escapeHtml(item.placeholder.text)}"` : "",
    "required",
  ].join(" ");
  const label = escapeHtml(block.label?.text);
  const shown = error ? `<strong>Error:</strong> ${escapeHtml(error)}` : "";
  return `<div class="bk-input"><label for="${id}">${label}</label>${inputControl(item, attributes, ctx)}
    <div class="field-error" id="${id}-error">${shown}</div></div>`;
}

function inputControl(item, attributes, ctx) {
  const value = escapeHtml(item.initial_value ?? "");
  if (item.type === "number_input") {
    const step = item.is_decimal_allowed ? "any" : "1";
    const min = item.min_value !== undefined ? ` min="${escapeHtml(item.min_value)}"` : "";
    const max = item.max_value !== undefined ? ` max="${escapeHtml(item.max_value)}"` : "";
    return `<input type="number" step="${step}"${min}${max} value="${value}" ${attributes}>`;
  }
  if (item.type === "plain_text_input" && item.multiline) {
    return `<textarea rows="8" spellcheck="false" ${attributes}>${value}</textarea>`;
  }
  if (item.type === "conversations_select") {
    // Slack preselects the conversation the modal was opened from, where it knows one.
    const current = item.default_to_current_conversation ? ctx.currentConversation : null;
    const options = (ctx.conversations || []).map(
      ({ id, label }) =>
        `<option value="${escapeHtml(id)}"${id === current ? " selected" : ""}>${escapeHtml(label)}</option>`,
    );
    const none = current ? "" : '<option value="">Choose a conversation</option>';
    return `<select ${attributes}>${none}${options.join("")}</select>`;
  }
  return `<p class="bk-unknown">[${escapeHtml(item.type)} input: not drawn here]</p>`;
}

// -- charts -----------------------------------------------------------------------------------

function chartHtml(block) {
  const chart = block.chart || {};
  const axis = chart.axis_config || {};
  return lineChart({
    title: block.title,
    categories: axis.categories || [],
    series: chart.series || [],
    xLabel: axis.x_label,
    yLabel: axis.y_label,
  });
}

// A line chart as a figure: title, inline SVG (axes, grid, one polyline per series), legend.
// series: [{name, data: [{label, value}]}], each label one of categories.
export function lineChart({ title, categories, series, xLabel, yLabel }) {
  const box = { width: 600, height: 260, top: 14, right: 18, bottom: xLabel ? 46 : 30, left: 62 };
  const plot = {
    left: box.left,
    right: box.width - box.right,
    top: box.top,
    bottom: box.height - box.bottom,
  };
  const values = series.flatMap((s) => s.data.map((p) => Number(p.value))).filter(Number.isFinite);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const [low, high] = [ticks[0], ticks[ticks.length - 1]];
  const span = categories.length - 1;
  const x = (i) => plot.left + (span < 1 ? 0.5 : i / span) * (plot.right - plot.left);
  const y = (v) => plot.bottom - ((v - low) / (high - low)) * (plot.bottom - plot.top);
  const parts = [
    ...ticks.map((t) => line("grid", plot.left, y(t), plot.right, y(t))),
    ...ticks.map((t) => svgText("tick", plot.left - 6, y(t) + 4, compact(t), "end")),
    line("axis", plot.left, plot.top, plot.left, plot.bottom),
    line("axis", plot.left, y(low), plot.right, y(low)),
    ...categoryLabels(categories, x, plot.bottom + 16),
    ...series.map((s, i) => seriesLine(s, i, categories, x, y)),
  ];
  if (xLabel) {
    parts.push(svgText("axis-label", (plot.left + plot.right) / 2, box.height - 6, xLabel));
  }
  if (yLabel) {
    const middle = -(plot.top + plot.bottom) / 2;
    parts.push(svgText("axis-label", middle, 14, yLabel, "middle", 'transform="rotate(-90)"'));
  }
  const label = `Line chart${title ? `: ${title}` : ""}. Series: ${series.map((s) => s.name).join(", ")}.`;
  const caption = title ? `<figcaption>${escapeHtml(title)}</figcaption>` : "";
  const svg = `<svg viewBox="0 0 ${box.width} ${box.height}" role="img" aria-label="${escapeHtml(label)}">
    ${parts.join("")}</svg>`;
  return `<figure class="bk-chart">${caption}${svg}${legend(series)}</figure>`;
}

function line(className, x1, y1, x2, y2) {
  return `<line class="${className}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>`;
}

function svgText(className, x, y, text, anchor = "middle", extra = "") {
  return `<text class="${className}" x="${x}" y="${y}" text-anchor="${anchor}" ${extra}>${escapeHtml(
    text,
  )}</text>`;
}

function seriesLine(s, index, categories, x, y) {
  const position = new Map(categories.map((category, i) => [String(category), i]));
  const points = s.data
    .map((p) => [position.get(String(p.label)), Number(p.value)])
    .filter(([i, v]) => i !== undefined && Number.isFinite(v))
    .map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  const dash = DASHES[index % DASHES.length];
  const stroke = `stroke="${COLORS[index % COLORS.length]}" stroke-width="2"${
    dash ? ` stroke-dasharray="${dash}"` : ""
  }`;
  return `<polyline class="series" data-series="${escapeHtml(s.name)}" points="${points.join(" ")}"
    fill="none" ${stroke}/>`;
}

function categoryLabels(categories, x, baseline) {
  const every = Math.max(1, Math.ceil(categories.length / 12));
  const last = categories.length - 1;
  return categories
    .map((category, i) => (i % every === 0 || i === last ? svgText("tick", x(i), baseline, category) : ""))
    .filter(Boolean);
}

function legend(series) {
  const items = series.map((s, i) => {
    const dash = DASHES[i % DASHES.length];
    const stroke = `stroke="${COLORS[i % COLORS.length]}" stroke-width="3"${
      dash ? ` stroke-dasharray="${dash}"` : ""
    }`;
    const swatch = `<svg class="swatch" viewBox="0 0 24 8" aria-hidden="true">
      <line x1="0" x2="24" y1="4" y2="4" ${stroke}/></svg>`;
    return `<li>${swatch}${escapeHtml(s.name)}</li>`;
  });
  return `<ul class="legend" aria-label="Legend">${items.join("")}</ul>`;
}

function niceTicks(low, high, count = 5) {
  if (high === low) high = low + 1;
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= raw) * magnitude;
  const ticks = [];
  for (let t = Math.floor(low / step) * step; t < high + step; t += step) {
    ticks.push(Number(t.toPrecision(12)));
    if (t >= high) break;
  }
  return ticks;
}

const COMPACT = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 });

function compact(value) {
  return Math.abs(value) < 1000 ? String(Number(value.toPrecision(6))) : COMPACT.format(value);
}

// Numbers as the bot shows them: integers as they are, floats to 6 significant digits.
export function displayNumber(value) {
  if (value === "inf") return "∞";
  if (value === "-inf") return "-∞";
  if (value === "nan") return "NaN";
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  if (magnitude >= 15 || magnitude < -4) return value.toPrecision(3);
  return String(Number(value.toFixed(Math.max(0, 5 - magnitude))));
}
