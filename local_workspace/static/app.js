// The local workspace page: shows the stand-in's state and turns what you do into the requests
// Slack would send. The server does the Slack part; this file only draws and posts.
import { escapeHtml, mrkdwn, renderBlocks } from "./blocks.js";
import { setupApi } from "./api.js";

const POLL_MS = 1000;
const $ = (selector) => document.querySelector(selector);

const ui = {
  data: null,
  lastText: "",
  channel: "C01GENERAL",
  showingHome: false,
  thread: null, // ts of the open thread
  editing: null, // ts of the message being edited
  editingInThread: false, // whether that edit form is in the thread pane
  seen: null, // every ts already shown, so only new messages are announced
  modalId: null,
  modalFrom: null, // the conversation a shortcut's modal was opened from
};

// -- talking to the local server ----------------------------------------------------------------

async function refresh() {
  const response = await fetch("/local/state", { cache: "no-store" });
  const text = await response.text();
  if (text === ui.lastText) return;
  ui.lastText = text;
  ui.data = JSON.parse(text);
  render();
}

async function act(action, body) {
  status("Sending…");
  let answer;
  try {
    const response = await fetch(`/local/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    answer = await response.json();
  } catch (error) {
    status(`Could not reach the local server (${error.message}).`, true);
    return null;
  }
  const failed = (answer.statuses || []).filter((code) => code < 200 || code > 299);
  if (answer.error) status(answer.error, true);
  else if (failed.length) status(`The bot answered HTTP ${failed.join(", ")}.`, true);
  else status("");
  await refresh();
  return answer;
}

function status(text, isError = false) {
  const line = $("#status");
  line.textContent = isError ? `Error: ${text}` : text;
  line.classList.toggle("error", isError);
}

async function poll() {
  try {
    await refresh();
  } catch (error) {
    status(`Lost the local server (${error.message}). Is sysbot serve still running?`, true);
  }
  setTimeout(poll, POLL_MS);
}

// -- drawing ------------------------------------------------------------------------------------

function render() {
  announceNew();
  renderSidebar();
  syncModal();
  if (ui.editing) return; // redrawing now would throw away what is being typed
  if (ui.showingHome) renderHome();
  else renderConversation();
  renderThread();
}

function currentChannel() {
  return ui.data.channels.find((c) => c.id === ui.channel) || ui.data.channels[0];
}

function names() {
  return { [ui.data.me.id]: ui.data.me.name, [ui.data.bot.user_id]: ui.data.bot.name };
}

function channelLabel(channel) {
  return channel.is_im ? channel.name : `#${channel.name}`;
}

function renderSidebar() {
  const button = (channel) => {
    const current = !ui.showingHome && channel.id === ui.channel;
    return `<li><button type="button" class="nav-item" data-channel="${escapeHtml(channel.id)}"${
      current ? ' aria-current="page"' : ""
    }>${channel.is_im ? "" : '<span aria-hidden="true"># </span>'}${escapeHtml(channel.name)}</button></li>`;
  };
  replace($("#channel-list"), ui.data.channels.filter((c) => !c.is_im).map(button).join(""));
  replace($("#dm-list"), ui.data.channels.filter((c) => c.is_im).map(button).join(""));
  if (ui.showingHome) $("#open-home").setAttribute("aria-current", "page");
  else $("#open-home").removeAttribute("aria-current");
}

function renderConversation() {
  const channel = currentChannel();
  $("#home").hidden = true;
  $("#conversation").hidden = false;
  $("#conversation-title").textContent = channelLabel(channel);
  $("#conversation-note").textContent = channelNote(channel);
  $("#composer-label").textContent = `Message ${channelLabel(channel)}`;
  const items = [
    ...channel.messages.map((m) => ({ message: m, ephemeral: false })),
    ...channel.ephemerals.filter((e) => !e.thread_ts).map((m) => ({ message: m, ephemeral: true })),
  ].sort((a, b) => Number(a.message.ts) - Number(b.message.ts));
  const html = items.map(({ message, ephemeral }) =>
    messageHtml(message, { channel, ephemeral, inThread: false }),
  );
  const empty = `<p class="empty">No messages yet.
    Try <code>/model [Candidates] &gt; Screens @ 5</code>.</p>`;
  replace($("#messages"), html.join("") || empty, true);
}

function channelNote(channel) {
  if (channel.is_im) return "Your direct messages with sysbot: any message holding a model is run.";
  if (channel.bot_is_member) {
    return "sysbot is in this channel: /model, @sysbot, fenced ```systems blocks and thread replies work.";
  }
  return "sysbot is not in this channel, so it sees only /model and its shortcuts here (Slack sends it nothing else).";
}

function renderThread() {
  const pane = $("#thread");
  const channel = currentChannel();
  const parent = !ui.showingHome && channel.messages.find((m) => m.ts === ui.thread);
  pane.hidden = !parent;
  if (!parent) return;
  $("#thread-title").textContent = `Thread in ${channelLabel(channel)}`;
  const ephemerals = channel.ephemerals.filter((e) => e.thread_ts === parent.ts);
  const items = [
    ...(parent.replies || []).map((m) => ({ message: m, ephemeral: false })),
    ...ephemerals.map((m) => ({ message: m, ephemeral: true })),
  ].sort((a, b) => Number(a.message.ts) - Number(b.message.ts));
  const count = parent.replies?.length || 0;
  const html = [
    messageHtml(parent, { channel, ephemeral: false, inThread: true }),
    `<p class="reply-count">${count} ${count === 1 ? "reply" : "replies"}</p>`,
    ...items.map(({ message, ephemeral }) =>
      messageHtml(message, { channel, ephemeral, inThread: true }),
    ),
  ];
  replace($("#thread-messages"), html.join(""), true);
}

function renderHome() {
  $("#conversation").hidden = true;
  $("#home").hidden = false;
  const view = ui.data.home;
  const html = view
    ? renderBlocks(view.blocks, { names: names(), focusPrefix: "home" })
    : "<p>Opening the Home tab…</p>";
  replace($("#home-view"), html);
}

function messageHtml(message, { channel, ephemeral, inThread }) {
  const fromBot = Boolean(message.bot_id);
  const name = authorName(message);
  const isEditing = ui.editing === message.ts && ui.editingInThread === inThread;
  const classes = ["message", ephemeral && "ephemeral", fromBot && "from-bot"].filter(Boolean);
  const data = `data-ts="${escapeHtml(message.ts)}" data-channel="${escapeHtml(channel.id)}"`;
  return `<article class="${classes.join(" ")}" ${data}${
    ephemeral ? ' data-ephemeral="1"' : ""
  } aria-label="${escapeHtml(name)}">
    <span class="avatar" aria-hidden="true">${escapeHtml(name[0].toUpperCase())}</span>
    <div class="message-main">
      ${messageHeader(message, name, fromBot)}
      ${ephemeral ? '<p class="only-you">Only visible to you</p>' : ""}
      <div class="message-body">${isEditing ? editForm(message) : messageBody(message)}</div>
      ${(message.files || []).map(fileHtml).join("")}
      ${inThread ? "" : threadLink(message)}
      ${messageTools(message, { ephemeral, inThread, isEditing, fromBot })}
    </div>
  </article>`;
}

function authorName(message) {
  if (message.from_slack) return "Slackbot";
  const name = message.bot_id ? ui.data.bot.name : names()[message.user];
  return name || message.user || "someone";
}

function messageHeader(message, name, fromBot) {
  const time = new Date(Number(message.ts) * 1000);
  return `<header class="message-header"><span class="name">${escapeHtml(name)}</span>
    ${fromBot ? '<span class="badge">APP</span>' : ""}
    <time datetime="${time.toISOString()}">${time.toLocaleTimeString()}</time>
    ${message.edited ? '<span class="edited">(edited)</span>' : ""}</header>`;
}

// Slack shows the blocks when there are any; `text` is then only the notification fallback.
function messageBody(message) {
  if (message.blocks?.length) {
    return renderBlocks(message.blocks, { names: names(), focusPrefix: message.ts });
  }
  return `<div class="mrkdwn">${mrkdwn(message.text, names())}</div>`;
}

function threadLink(message) {
  const count = message.reply_count;
  if (!count) return "";
  return `<button type="button" class="thread-link" data-open-thread="${escapeHtml(message.ts)}"
    data-focus-key="${escapeHtml(message.ts)}:replies">${count} ${count === 1 ? "reply" : "replies"}
    </button>`;
}

function messageTools(message, { ephemeral, inThread, isEditing, fromBot }) {
  const tools = [];
  if (!ephemeral && !inThread) tools.push(button("Reply in thread", "open-thread", message.ts));
  const mine = !fromBot && message.user === ui.data.me.id;
  if (mine && !ephemeral && !isEditing) tools.push(button("Edit", "edit", message.ts));
  // Slack's "More actions" menu: the bot's message shortcut, on any message people can see.
  if (!ephemeral && !isEditing) tools.push(button("Run as model", "run-as-model", message.ts));
  return tools.length ? `<div class="message-tools">${tools.join("")}</div>` : "";
}

function button(label, kind, ts) {
  const key = escapeHtml(`${ts}:${kind}`);
  return `<button type="button" class="tool" data-${kind}="${escapeHtml(ts)}"
    data-focus-key="${key}">${label}</button>`;
}

function fileHtml(file) {
  const base = `/local/files/${encodeURIComponent(file.id)}/${encodeURIComponent(file.name)}`;
  return `<div class="file-card">
    <span class="file-icon" aria-hidden="true">${escapeHtml(file.filetype.toUpperCase())}</span>
    <span class="file-name"><a href="${base}" target="_blank">${escapeHtml(file.title || file.name)}</a>
    <span class="file-meta">${escapeHtml(file.name)} · ${file.size.toLocaleString()} bytes</span></span>
    <a class="file-download" href="${base}?download=1" download="${escapeHtml(file.name)}">
      Download ${escapeHtml(file.name)}</a>
  </div>`;
}

function editForm(message) {
  const text = (message.text || "").replaceAll(`<@${ui.data.bot.user_id}>`, `@${ui.data.bot.name}`);
  return `<form class="edit-form" data-edit-form="${escapeHtml(message.ts)}">
    <label for="edit-${escapeHtml(message.ts)}">Edit your message</label>
    <textarea id="edit-${escapeHtml(message.ts)}" rows="4">${escapeHtml(text)}</textarea>
    <p class="hint">Enter saves, Shift+Enter adds a line, Escape cancels.</p>
    <div class="form-buttons"><button type="submit" class="primary">Save</button>
    <button type="button" data-cancel-edit="1">Cancel</button></div>
  </form>`;
}

// Replace an area's HTML only when it changed, keeping focus and the scroll at the bottom.
function replace(element, html, stickToBottom = false) {
  if (element.dataset.html === html) return;
  const focusKey = element.contains(document.activeElement)
    ? document.activeElement.dataset.focusKey
    : null;
  const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 60;
  element.innerHTML = html;
  element.dataset.html = html;
  if (stickToBottom && atBottom) element.scrollTop = element.scrollHeight;
  if (focusKey) element.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

function announceNew() {
  const all = ui.data.channels.flatMap((c) => [
    ...c.messages.flatMap((m) => [m, ...(m.replies || [])]),
    ...c.ephemerals,
  ]);
  const fresh = ui.seen ? all.filter((m) => !ui.seen.has(`${m.ts}${m.edited?.ts || ""}`)) : [];
  ui.seen = new Set(all.map((m) => `${m.ts}${m.edited?.ts || ""}`));
  const toSay = fresh.filter((m) => m.bot_id || m.recipient).slice(-3);
  if (toSay.length) {
    $("#live").textContent = toSay
      .map((m) => `${m.recipient ? "Only visible to you" : "sysbot"}: ${spoken(m.text)}`)
      .join("\n");
  }
}

// What a screen reader should say: mentions by name, no emoji codes or mrkdwn marks.
function spoken(text) {
  return (text || "")
    .replace(/<@(\w+)>/g, (_, id) => `@${names()[id] || id}`)
    .replace(/:[a-z0-9_+-]+:\s*/g, "")
    .replace(/[*_`~]/g, "")
    .slice(0, 300);
}

// -- the modal ----------------------------------------------------------------------------------

function syncModal() {
  const dialog = $("#modal");
  const view = ui.data.modal;
  if (view && view.id !== ui.modalId) openModal(view);
  else if (!view && dialog.open) dialog.close();
}

function openModal(view, errors = {}) {
  const dialog = $("#modal");
  ui.modalId = view.id;
  ui.modalReturn = document.activeElement;
  $("#modal-title").textContent = view.title?.text || "";
  $("#modal-body").innerHTML = renderBlocks(view.blocks, {
    names: names(),
    idPrefix: "modal",
    errors,
    conversations: ui.data.channels.map((c) => ({ id: c.id, label: channelLabel(c) })),
    currentConversation: ui.modalFrom,
  });
  $("#modal-submit").textContent = view.submit?.text || "Submit";
  $("#modal-submit").hidden = !view.submit;
  $("#modal-cancel").textContent = view.close?.text || "Close";
  $("#modal-error").textContent = "";
  if (!dialog.open) dialog.showModal();
  dialog.querySelector("textarea, input, select")?.focus();
}

async function submitModal(event) {
  event.preventDefault();
  const values = {};
  for (const field of $("#modal-body").querySelectorAll("[data-block-id]")) {
    values[field.dataset.blockId] = { [field.dataset.actionId]: field.value };
  }
  const answer = await act("submit", { view_id: ui.modalId, values });
  if (!answer) return;
  if (Object.keys(answer.errors || {}).length) return showModalErrors(answer.errors);
  if (answer.ok) closeModal();
  else $("#modal-error").textContent = `Error: ${$("#status").textContent}`;
}

function showModalErrors(errors) {
  for (const field of $("#modal-body").querySelectorAll("[data-block-id]")) {
    const message = errors[field.dataset.blockId];
    const slot = document.getElementById(`${field.id}-error`);
    if (message) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
    slot.innerHTML = message ? `<strong>Error:</strong> ${escapeHtml(message)}` : "";
  }
  $("#modal-body").querySelector("[aria-invalid]")?.focus();
}

function closeModal() {
  const dialog = $("#modal");
  if (dialog.open) dialog.close();
  ui.modalReturn?.focus?.();
}

function cancelModal() {
  if (ui.modalId) act("close", { view_id: ui.modalId });
  closeModal();
}

// -- what you do --------------------------------------------------------------------------------

async function send(text, threadTs) {
  const channel = currentChannel().id;
  const isCommand = text.trim().startsWith("/");
  const body = isCommand ? { channel, text } : { channel, text, thread_ts: threadTs };
  return act(isCommand ? "command" : "message", body);
}

function composer(form, input, threadTs) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return status("Type a message first.", true);
    const answer = await send(text, threadTs());
    if (answer && !answer.error) input.value = "";
    input.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

function onClick(event) {
  const target = event.target.closest("button");
  if (!target) return;
  const message = target.closest("[data-ts]");
  if (target.dataset.actionId && message) {
    act("click", {
      channel: message.dataset.channel,
      ts: message.dataset.ts,
      action_id: target.dataset.actionId,
      ephemeral: Boolean(message.dataset.ephemeral),
    });
  } else if (target.dataset.actionId && target.closest("#home-view")) {
    status("The Home tab has no buttons the bot handles.", true);
  } else if (target.dataset.openThread) {
    openThread(target.dataset.openThread);
  } else if (target.dataset.runAsModel && message) {
    act("run_as_model", { channel: message.dataset.channel, ts: target.dataset.runAsModel });
  } else if (target.dataset.edit) {
    startEdit(target.dataset.edit, Boolean(target.closest("#thread")));
  } else if (target.dataset.cancelEdit) {
    stopEdit();
  } else if (target.dataset.channel) {
    showChannel(target.dataset.channel);
  }
}

function openThread(ts) {
  ui.thread = ts;
  renderThread();
  $("#thread-input").focus();
}

function startEdit(ts, inThread) {
  ui.editing = ts; // redraws wait until the edit is saved or cancelled
  ui.editingInThread = inThread;
  renderConversation();
  renderThread();
  const area = document.getElementById(`edit-${ts}`);
  area?.focus();
  area?.setSelectionRange(area.value.length, area.value.length);
}

function stopEdit() {
  const ts = ui.editing;
  ui.editing = null;
  render();
  focusEditButton(ts);
}

async function saveEdit(form) {
  const text = form.querySelector("textarea").value;
  const message = form.closest("[data-ts]");
  const ts = form.dataset.editForm;
  ui.editing = null;
  await act("edit", { channel: message.dataset.channel, ts, text });
  render();
  focusEditButton(ts);
}

// Back to the Edit button the edit started from (the message may show in both panes).
function focusEditButton(ts) {
  const pane = ui.editingInThread ? $("#thread") : $("#messages");
  pane.querySelector(`[data-focus-key="${CSS.escape(`${ts}:edit`)}"]`)?.focus();
}

function showChannel(id) {
  ui.channel = id;
  ui.showingHome = false;
  ui.thread = null;
  ui.editing = null;
  render();
  $("#messages").scrollTop = $("#messages").scrollHeight; // Slack opens at the latest message
  $("#composer-input").focus();
}

async function showHome() {
  ui.showingHome = true;
  ui.thread = null;
  render();
  $("#home-heading").focus();
  await act("home", {});
}

function setupWorkspace() {
  const panel = $("#panel-workspace");
  panel.addEventListener("click", onClick);
  panel.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-edit-form]");
    if (!form) return;
    event.preventDefault();
    saveEdit(form);
  });
  panel.addEventListener("keydown", (event) => {
    const form = event.target.closest("[data-edit-form]");
    if (!form) return;
    if (event.key === "Escape") stopEdit();
    if (event.key === "Enter" && !event.shiftKey && event.target.tagName === "TEXTAREA") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  composer($("#composer"), $("#composer-input"), () => undefined);
  composer($("#thread-composer"), $("#thread-input"), () => ui.thread);
  $("#close-thread").addEventListener("click", () => {
    const ts = ui.thread;
    ui.thread = null;
    renderThread();
    document.querySelector(`[data-focus-key="${CSS.escape(`${ts}:open-thread`)}"]`)?.focus();
  });
  $("#open-home").addEventListener("click", showHome);
  $("#new-model").addEventListener("click", () => {
    ui.modalFrom = ui.showingHome ? null : ui.channel; // Slack knows no conversation on Home
    act("new_model", {});
  });
  $("#reset").addEventListener("click", () => {
    if (window.confirm("Clear every message, file and form? The channels stay.")) act("reset", {});
  });
  $("#modal-form").addEventListener("submit", submitModal);
  $("#modal-cancel").addEventListener("click", cancelModal);
  $("#modal").addEventListener("cancel", (event) => {
    event.preventDefault(); // Escape: close through the same path as the Cancel button
    cancelModal();
  });
}

// -- tabs ---------------------------------------------------------------------------------------

function setupTabs() {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  const select = (tab) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
    }
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  }
}

setupTabs();
setupWorkspace();
setupApi();
poll();
