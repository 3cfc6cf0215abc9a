// Argus approval console: one plain ES module, no build step, no dependencies.
//
// Rules this file keeps (the page runs under a strict CSP and shows untrusted text):
// - every piece of data reaches the DOM through textContent / createElement, never innerHTML;
// - the approver token is only ever sent once, in the body of POST /console/login;
//   the session lives in the server's HttpOnly cookie and the CSRF token in memory;
// - times are computed on the SERVER's clock (serverNow), which may be years away
//   from the browser's in tests.

// ---------------------------------------------------------------- DOM helpers

const $ = (selector, root = document) => root.querySelector(selector);

/** createElement with attributes and children; string children become text nodes, never markup. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A definition list from [label, value] pairs; a value may be a string or a node. */
function factList(dl, pairs) {
  dl.replaceChildren();
  for (const [label, value] of pairs) {
    if (value === undefined) continue;
    dl.append(el("div", { class: "fact" }, el("dt", {}, label), el("dd", {}, value ?? "n/a")));
  }
  return dl;
}

// ---------------------------------------------------------------- formatting

const isNum = (v) => typeof v === "number" && Number.isFinite(v);
const moneyFormats = new Map();

function fmtMoney(v, currency = "USD") {
  if (!isNum(v)) return "n/a";
  // Sub-dollar prices trade in 4 decimals; everything else in cents.
  const digits = v !== 0 && Math.abs(v) < 1 ? 4 : 2;
  const key = `${currency}:${digits}`;
  if (!moneyFormats.has(key)) {
    try {
      moneyFormats.set(key, new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: digits }));
    } catch {
      moneyFormats.set(key, { format: (x) => `${x.toFixed(digits)} ${currency}` });
    }
  }
  return moneyFormats.get(key).format(v);
}

const fmtQty = (v) => (isNum(v) ? v.toLocaleString("en-US", { maximumFractionDigits: 6 }) : "n/a");
const fmtPct = (v, digits = 1) => (isNum(v) ? `${(v * 100).toFixed(digits)}%` : "n/a");
const signOf = (v) => (v > 0 ? "+" : v < 0 ? "\u2212" : "");

/** A signed amount as a span: the sign is in the text, the colour only repeats it. */
function signedNode(v, text) {
  if (!isNum(v)) return "n/a";
  return el("span", { class: v > 0 ? "gain" : v < 0 ? "loss" : "flat" }, `${signOf(v)}${text(Math.abs(v))}`);
}
const signedMoney = (v, currency) => signedNode(v, (a) => fmtMoney(a, currency));
const signedPct = (v) => signedNode(v, (a) => fmtPct(a, 2));

/** "2026-03-02T10:15:03.000-05:00" → "2026-03-02 10:15:03 ET", inside a <time>. */
function timeNode(iso) {
  if (typeof iso !== "string" || iso === "") return "n/a";
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!m) return el("time", {}, iso);
  // Server times are exchange (New York) times; its two offsets read better as "ET".
  const zone = m[3] === "Z" ? " UTC" : m[3] === "-04:00" || m[3] === "-05:00" ? " ET" : m[3] ? ` ${m[3]}` : "";
  return el("time", { datetime: iso, title: iso }, `${m[1]} ${m[2]}${zone}`);
}

/** 272000 ms → "4:32"; an hour or more → "1:04:32". Rounds up so a fresh 5-minute proposal reads 5:00. */
function fmtDuration(ms) {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** "BUY 10 AAPL", or "BUY $500.00 of AAPL" for a notional order. */
function describeIntent(p) {
  const i = p?.intent ?? {};
  const size = isNum(i.qty) ? fmtQty(i.qty) : isNum(i.notional) ? `${fmtMoney(i.notional)} of` : "?";
  return `${String(i.side ?? "?").toUpperCase()} ${size} ${i.symbol ?? "?"}`;
}

// ---------------------------------------------------------------- server clock

// The server's time at the last reading, and the browser's monotonic time then. Elapsed
// browser time is added to the server reading, so a wrong browser clock never matters.
const clock = { serverMs: Date.now(), perfMs: performance.now() };

function setServerClock(iso) {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return;
  clock.serverMs = t;
  clock.perfMs = performance.now();
}

const serverNow = () => clock.serverMs + (performance.now() - clock.perfMs);

// ---------------------------------------------------------------- API client

// `epoch` changes on every login and logout, so answers to requests made in an earlier
// session are dropped instead of painting one user's data after the next one signs in.
const session = { csrf: null, epoch: 0, expiresAt: null, checking: false, lastCheck: -Infinity };

/**
 * One request; never throws. Resolves to `{ status, body }` (status 0: network failure).
 * `authFlow` marks the session/login calls, whose 401 means "not signed in" rather than
 * "the session ended".
 */
async function request(method, path, body, { authFlow = false } = {}) {
  const epoch = session.epoch;
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (method !== "GET") {
    init.headers["Content-Type"] = "application/json";
    if (session.csrf) init.headers["X-CSRF-Token"] = session.csrf;
    init.body = JSON.stringify(body ?? {});
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    return { status: 0, body: { error: { code: "NETWORK_ERROR", message: "The server could not be reached." } } };
  }
  let parsed = null;
  try {
    parsed = await res.json();
  } catch {
    parsed = null;
  }
  if (!res.ok && !parsed?.error) parsed = { error: { code: `HTTP_${res.status}`, message: res.statusText || "The request failed." } };
  if (res.status === 401 && !authFlow && epoch === session.epoch && session.csrf !== null) {
    showLogin("Your session ended. Sign in again.");
  }
  return { status: res.status, body: parsed };
}

const apiGet = (path) => request("GET", path);
const apiPost = (path, body) => request("POST", path, body);
const callTool = (name, args = {}) => apiPost(`/api/v1/tools/${encodeURIComponent(name)}`, args);
const isOk = (r) => r.status >= 200 && r.status < 300 && r.body && !r.body.error;
const errorText = (r) => `${r.body?.error?.code ?? `HTTP_${r.status}`}: ${r.body?.error?.message ?? "The request failed."}`;

// ---------------------------------------------------------------- announcements

/** The action-result live region: one message at a time, replaced so a repeat is announced again. */
function report(kind, text) {
  $("#action-result").replaceChildren(el("p", { class: `result ${kind}`, "data-kind": kind }, text));
}

/** Polite announcement of newly arrived proposals (the region keeps the last few). */
function announceProposal(text) {
  const region = $("#proposal-announcer");
  region.append(el("p", {}, text));
  while (region.childElementCount > 5) region.firstElementChild.remove();
}

function setLoadError(section, r) {
  const slot = $("[data-role=load-error]", section);
  if (slot) slot.textContent = r ? `Could not load: ${errorText(r)}` : "";
}

// ---------------------------------------------------------------- section loaders

// Each loader fetches one section and renders it. `fresh()` is false once a newer load of
// the same section started or the session changed: out-of-order answers are dropped.
const loaders = {
  proposals: loadProposals,
  state: loadState,
  account: loadAccount,
  positions: loadPositions,
  orders: loadOrders,
  fills: loadFills,
  analyses: loadAnalyses,
  audit: loadAudit,
};
const ALL_SECTIONS = Object.keys(loaders);
const loadSeq = {};

const SECTION_OF = { proposals: "#proposals", state: "#state", account: "#positions", positions: "#positions", orders: "#orders", fills: "#fills", analyses: "#analyses", audit: "#audit" };

async function load(name) {
  const seq = (loadSeq[name] = (loadSeq[name] ?? 0) + 1);
  const epoch = session.epoch;
  try {
    await loaders[name](() => seq === loadSeq[name] && epoch === session.epoch);
  } catch (e) {
    // An answer of an unexpected shape must not break the other sections.
    setLoadError($(SECTION_OF[name]), { status: 0, body: { error: { code: "CLIENT_ERROR", message: String(e?.message ?? e) } } });
  }
}

const queued = new Set();
let refreshTimer = null;

/** Batches refreshes: events tend to come in bursts (created, checked, ...), one reload serves them all. */
function scheduleRefresh(names) {
  for (const n of names) queued.add(n);
  if (refreshTimer !== null) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    const names = [...queued];
    queued.clear();
    for (const n of names) load(n);
  }, 150);
}

/** Which sections an audit event can have changed. */
function sectionsForKind(kind) {
  if (kind.startsWith("proposal.")) return ["proposals", "state"];
  if (kind.startsWith("order.")) return ["orders", "fills", "positions", "account", "proposals"];
  if (kind === "state.changed" || kind === "killswitch.tripped") return ["state", "proposals"];
  if (kind === "limits.changed" || kind === "mode.changed") return ["state"];
  if (kind === "analysis.logged") return ["analyses"];
  return [];
}

// ---------------------------------------------------------------- proposals

// proposalId → card entry. Cards are kept across refreshes (keyed), so a half-typed reason
// or a focused button survives a live update.
const cards = new Map();
let cardCounter = 0;
let proposalsSeenOnce = false;

/**
 * GET a section's data: undefined when a newer refresh has started meanwhile or the call
 * failed (the section then shows the error); otherwise the result, with the error cleared.
 */
async function loadInto(sectionSelector, path, fresh) {
  const r = await apiGet(path);
  if (!fresh()) return undefined;
  const section = $(sectionSelector);
  if (!isOk(r)) {
    setLoadError(section, r);
    return undefined;
  }
  setLoadError(section, null);
  return r.body.result ?? {};
}

async function loadProposals(fresh) {
  const result = await loadInto("#proposals", "/api/v1/proposals?status=awaiting_approval", fresh);
  if (!result) return;
  const list = (result.proposals ?? []).filter((p) => p.status === undefined || p.status === "awaiting_approval");
  renderProposals(list);
}

function renderProposals(list) {
  const listEl = $("#proposal-list");
  const pendingIds = new Set(list.map((p) => p.proposalId));
  for (const [id, entry] of cards) {
    if (pendingIds.has(id)) continue;
    // Not while its own decision request is in flight: that answer still has to land on it.
    if (entry.busy) continue;
    // Keyboard users keep their place when the card they were on goes away.
    if (entry.card.contains(document.activeElement)) $("#proposals-title").focus();
    entry.card.remove();
    cards.delete(id);
    // The card's outcome outlives the card, in the short list of this page's decisions.
    if (entry.outcome) addRecentDecision(entry);
  }
  list.forEach((p, index) => {
    let entry = cards.get(p.proposalId);
    if (!entry) {
      entry = createCard(p);
      cards.set(p.proposalId, entry);
      // The first load is what was already there; only later arrivals are "new".
      if (proposalsSeenOnce) announceProposal(`New proposal: ${describeIntent(p)}`);
    } else {
      entry.proposal = p;
    }
    // Keep the server's order, but never move a card that is already in place (moving blurs focus).
    if (listEl.children[index] !== entry.card) listEl.insertBefore(entry.card, listEl.children[index] ?? null);
  });
  proposalsSeenOnce = true;
  $("#proposals-empty").hidden = list.length !== 0;
  tickCountdowns();
}

function createCard(p) {
  const n = ++cardCounter;
  const titleId = `proposal-${n}-title`;
  const reasonId = `proposal-${n}-reason`;
  const i = p.intent ?? {};
  const isLive = p.mode === "live";

  const card = el("article", { class: `proposal${isLive ? " is-live" : ""}`, "data-proposal-id": p.proposalId, "data-status": p.status ?? "awaiting_approval", "aria-labelledby": titleId });
  const countdown = el("p", { class: "countdown", "data-role": "countdown" });
  const reason = el("input", { type: "text", id: reasonId, maxlength: 500, autocomplete: "off", "data-role": "reason" });
  const approve = el("button", { type: "button", class: "approve", "data-action": "approve", "aria-describedby": titleId }, "Approve");
  const reject = el("button", { type: "button", class: "reject", "data-action": "reject", "aria-describedby": titleId }, "Reject");
  const result = el("div", { class: "card-result", "data-role": "result" });
  const buttons = el("div", { class: "buttons" }, approve, reject);
  const entry = { id: p.proposalId, proposal: p, card, countdown, reason, approve, reject, buttons, result, busy: false, decided: false, expired: false, outcome: null };

  approve.addEventListener("click", () => decide(p.proposalId, "approve", reason.value));
  reject.addEventListener("click", () => decide(p.proposalId, "reject", reason.value));

  const facts = factList(el("dl", { class: "facts" }), [
    ["Side", String(i.side ?? "?").toUpperCase()],
    isNum(i.qty) ? ["Quantity", fmtQty(i.qty)] : ["Notional", fmtMoney(i.notional)],
    ["Symbol", i.symbol ?? "?"],
    ["Type", i.type ?? "?"],
    ["Time in force", i.timeInForce ?? "?"],
    ["Limit price", isNum(i.limitPrice) ? fmtMoney(i.limitPrice) : undefined],
    ["Stop price", isNum(i.stopPrice) ? fmtMoney(i.stopPrice) : undefined],
    ["Trail", isNum(i.trailPercent) ? `${i.trailPercent}%` : isNum(i.trailPrice) ? fmtMoney(i.trailPrice) : undefined],
    ["Protective stop", isNum(i.stopLoss) ? fmtMoney(i.stopLoss) : undefined],
    ["Extended hours", i.extendedHours ? "yes" : undefined],
    ["Estimated cost", fmtMoney(p.estimatedNotional)],
    ["Reference price", fmtMoney(p.referencePrice)],
    ["Mode / broker", `${String(p.mode ?? "?").toUpperCase()} / ${p.broker ?? "?"}`],
    ["Created", timeNode(p.createdAt)],
    ["Expires", timeNode(p.expiresAt)],
    ["Proposal id", el("code", {}, p.proposalId)],
  ]);

  // Some parts are null (no failed checks, no warnings); the native append would print "null".
  const parts = [
    el("div", { class: "card-head" }, el("h3", { id: titleId }, describeIntent(p)), isLive ? el("span", { class: "badge live-money" }, "LIVE — real money") : null, countdown),
    facts,
    failedSummary(p),
    warningsBlock(p.warnings),
    checksTable(p.checks ?? [], n),
    el("div", { class: "decision" }, el("label", { for: reasonId }, "Reason (optional)"), reason, buttons),
    result,
  ];
  card.append(...parts.filter(Boolean));
  return entry;
}

function failedSummary(p) {
  const failed = p.failedChecks ?? (p.checks ?? []).filter((c) => !c.passed).map((c) => c.code);
  if (failed.length === 0) return null;
  return el("p", { class: "failed-summary" }, `\u2717 Failed checks: ${failed.join(", ")}`);
}

function warningsBlock(warnings) {
  if (!Array.isArray(warnings) || warnings.length === 0) return null;
  return el("div", { class: "warnings" }, el("h4", {}, "Warnings"), el("ul", {}, warnings.map((w) => el("li", {}, String(w)))));
}

/** The FULL firewall check list: every check, passed or not, with text and symbol. */
function checksTable(checks, n) {
  const failed = checks.filter((c) => !c.passed).length;
  const captionId = `proposal-${n}-checks`;
  const rows = checks.map((c) =>
    el(
      "tr",
      { class: c.passed ? "pass" : "fail" },
      el("th", { scope: "row" }, el("code", {}, c.code)),
      el("td", { class: c.passed ? "result-pass" : "result-fail" }, c.passed ? "\u2713 pass" : "\u2717 fail"),
      el("td", {}, c.detail ?? ""),
      el("td", {}, c.warning ?? ""),
    ),
  );
  return el(
    "div",
    { class: "table-wrap", tabindex: 0, role: "group", "aria-labelledby": captionId },
    el(
      "table",
      { class: "checks" },
      el("caption", { id: captionId }, `Firewall checks: ${checks.length - failed} passed, ${failed} failed`),
      el("thead", {}, el("tr", {}, ["Check", "Result", "Detail", "Warning"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows),
    ),
  );
}

/** Buttons are usable only on a live, undecided, unexpired card with no request in flight. */
function syncButtons(entry) {
  const off = entry.busy || entry.expired || entry.decided;
  entry.approve.disabled = off;
  entry.reject.disabled = off;
  entry.reason.disabled = entry.decided;
  entry.card.setAttribute("aria-busy", entry.busy ? "true" : "false");
}

/** Newest first, the last few; no data-proposal-id here: that attribute marks pending cards only. */
function addRecentDecision(entry) {
  const list = $("#recent-decisions");
  list.prepend(el("li", { class: `result ${entry.outcome.kind}`, "data-decided-id": entry.id }, entry.outcome.text));
  while (list.childElementCount > 5) list.lastElementChild.remove();
  $("#recent-decisions-wrap").hidden = false;
}

function setCardResult(entry, kind, text, detail) {
  if (kind !== "pending") entry.outcome = { kind, text };
  entry.result.replaceChildren(el("p", { class: `result ${kind}`, "data-kind": kind }, text));
  if (detail) entry.result.append(el("p", { class: "result-detail" }, detail));
}

/** Updates every countdown from the server clock; at zero the card's buttons are disabled. */
function tickCountdowns() {
  const now = serverNow();
  for (const entry of cards.values()) {
    if (entry.decided) continue;
    const left = Date.parse(entry.proposal.expiresAt) - now;
    const expired = Number.isFinite(left) ? left <= 0 : false;
    entry.countdown.textContent = !Number.isFinite(left) ? "expiry unknown" : expired ? "expired" : `expires in ${fmtDuration(left)}`;
    entry.countdown.classList.toggle("soon", Number.isFinite(left) && left > 0 && left < 60_000);
    if (expired !== entry.expired || entry.card.dataset.expired === undefined) {
      entry.expired = expired;
      entry.card.dataset.expired = String(expired);
      syncButtons(entry);
    }
  }
  checkSessionExpiry(now);
}

function decisionOutcome(decision, result) {
  const p = result?.proposal ?? {};
  const what = p.intent ? describeIntent(p) : "proposal";
  if (decision === "reject") return `Rejected ${what}.`;
  if (result?.order) return `Approved ${what}: order ${result.order.id} is ${result.order.status}.`;
  if (p.status === "failed") return `Approved ${what}, but submission failed: ${p.error ?? "unknown error"}.`;
  return `Approved ${what}: proposal is ${p.status ?? "approved"}.`;
}

/**
 * Approve or reject one proposal: the function the buttons call and tests call as
 * window.argusConsole.decide. It always asks the server (never trusts the page's own idea
 * of whether the proposal is still pending) and resolves to `{ status, body }`.
 */
async function decide(proposalId, decision, reason) {
  const id = String(proposalId);
  const entry = cards.get(id);
  if (entry) {
    entry.busy = true;
    syncButtons(entry);
    setCardResult(entry, "pending", decision === "approve" ? "Approving…" : "Rejecting…");
  }
  const body = { decision };
  const why = typeof reason === "string" ? reason.trim() : "";
  if (why !== "") body.reason = why; // the server rejects an empty reason
  const r = await apiPost(`/api/v1/approvals/${encodeURIComponent(id)}`, body);

  const current = cards.get(id);
  if (current) current.busy = false;
  if (isOk(r)) {
    const text = decisionOutcome(decision, r.body.result);
    if (current) {
      current.decided = true;
      current.card.dataset.status = r.body.result?.proposal?.status ?? (decision === "approve" ? "approved" : "rejected");
      current.countdown.textContent = decision === "approve" ? "approved" : "rejected";
      if (r.body.result?.proposal?.status) current.countdown.textContent += ` (now ${r.body.result.proposal.status})`;
      current.reason.value = "";
      setCardResult(current, "ok", text, r.body.text);
    }
    report("ok", text);
  } else if (r.status !== 401) {
    const text = errorText(r);
    if (current) setCardResult(current, "error", text);
    report("error", text);
  }
  if (current) syncButtons(current);
  if (r.status !== 401) scheduleRefresh(["proposals", "state", "orders", "fills", "positions", "account"]);
  return { status: r.status, body: r.body };
}

// ---------------------------------------------------------------- trading state

// The limits a human most needs while deciding; the rest are in get_risk_status.
const KEY_LIMITS = [
  ["maxNotionalPerOrder", "Max notional per order", (v) => fmtMoney(v)],
  ["maxSharesPerOrder", "Max shares per order", fmtQty],
  ["riskPerTradePct", "Risk per trade", (v) => fmtPct(v, 2)],
  ["maxPositionPct", "Max position per symbol", fmtPct],
  ["maxGrossExposurePct", "Max gross exposure", fmtPct],
  ["maxOpenPositions", "Max open positions", fmtQty],
  ["maxSectorPct", "Max sector exposure", fmtPct],
  ["dailyLossPct", "Daily loss → REDUCING", fmtPct],
  ["weeklyLossPct", "Weekly loss → HALTED", fmtPct],
  ["drawdownKillPct", "Drawdown → kill switch", fmtPct],
  ["allowShort", "Short selling", (v) => (v ? "allowed" : "not allowed")],
  ["proposalTtlSeconds", "Proposal lifetime", (v) => (isNum(v) ? fmtDuration(v * 1000) : "n/a")],
  ["autoApprovePaper", "Paper auto-approve", (v) => (v && v.enabled ? `on, up to ${fmtMoney(v.maxNotional)}` : "off")],
];

async function loadState(fresh) {
  const [risk, mode] = await Promise.all([apiGet("/api/v1/risk"), callTool("get_mode", {})]);
  if (!fresh()) return;
  const section = $("#state");
  if (isOk(mode)) renderMode(mode.body.result);
  if (!isOk(risk)) return setLoadError(section, risk);
  setLoadError(section, isOk(mode) ? null : mode);
  renderRisk(risk.body.result);
}

function renderMode(m) {
  const badge = $("#mode-badge");
  const mode = String(m.mode ?? "?").toUpperCase();
  badge.textContent = mode;
  badge.dataset.mode = m.mode ?? "";
  badge.title = `${m.broker ?? ""}: ${m.reason ?? ""}`;
  document.body.classList.toggle("mode-live", m.mode === "live");
  $("#live-banner").hidden = m.mode !== "live";
  if (m.tradingState) setStateBadge(m.tradingState);
}

function setStateBadge(state) {
  const badge = $("#state-badge");
  badge.textContent = `Trading ${state}`;
  badge.dataset.state = state;
}

function renderRisk(s) {
  setStateBadge(s.tradingState);
  factList($("#state-facts"), [
    ["State", el("strong", { class: "state-value", "data-state": s.tradingState }, s.tradingState)],
    ["Reason", s.reason || "n/a"],
    ["Changed at", timeNode(s.changedAt)],
    ["Changed by", s.changedBy || "n/a"],
    ["Mode", String(s.mode ?? "?").toUpperCase()],
    ["Equity", fmtMoney(s.equity)],
    ["Since previous close", signedPct(s.dailyChangePct)],
    ["Pending proposals", fmtQty(s.pendingProposals)],
  ]);
  const limits = s.limits ?? {};
  factList($("#limits-facts"), KEY_LIMITS.filter(([k]) => k in limits).map(([k, label, f]) => [label, f(limits[k])]));
}

async function onHalt(ev) {
  ev.preventDefault();
  const reason = $("#halt-reason").value.trim();
  if (!window.confirm("Halt trading? Open orders are canceled and pending proposals rejected.")) return;
  await humanAction($("#halt"), "/api/v1/trading/halt", reason ? { reason } : {}, "Trading halted.");
  $("#halt-reason").value = "";
}

async function onResume(ev) {
  ev.preventDefault();
  const state = $("#resume-state").value;
  const reason = $("#resume-reason").value.trim();
  await humanAction($("#resume"), "/api/v1/trading/resume", reason ? { state, reason } : { state }, `Trading resumed: ${state}.`);
  $("#resume-reason").value = "";
}

/** Posts a human-only state change with its button disabled, then reports and refreshes. */
async function humanAction(button, path, body, fallbackText) {
  button.disabled = true;
  const r = await apiPost(path, body);
  button.disabled = false;
  if (r.status === 401) return;
  if (isOk(r)) report("ok", r.body.text || fallbackText);
  else report("error", errorText(r));
  scheduleRefresh(["state", "proposals", "orders", "positions", "account"]);
}

// ---------------------------------------------------------------- account and positions

async function loadAccount(fresh) {
  const r = await apiGet("/api/v1/account");
  if (!fresh()) return;
  const dl = $("#account");
  if (!isOk(r)) return factList(dl, [["Account", `unavailable (${errorText(r)})`]]);
  const a = r.body.result;
  const cur = a.currency || "USD";
  const dayPl = isNum(a.equity) && isNum(a.lastEquity) && a.lastEquity > 0 ? a.equity - a.lastEquity : undefined;
  factList(dl, [
    ["Equity", fmtMoney(a.equity, cur)],
    ["Cash", fmtMoney(a.cash, cur)],
    ["Buying power", fmtMoney(a.buyingPower, cur)],
    ["Day P&L", dayPl === undefined ? undefined : el("span", {}, signedMoney(dayPl, cur), " (", signedPct(dayPl / a.lastEquity), ")")],
    ["Realised P&L", signedMoney(a.realizedPl, cur)],
    ["Long market value", fmtMoney(a.longMarketValue, cur)],
    ["Short market value", fmtMoney(a.shortMarketValue, cur)],
    ["Account", `${String(a.mode ?? "").toUpperCase()} ${a.broker ?? ""} · ${a.status ?? ""}`.trim()],
    ["Trading blocked", a.tradingBlocked ? el("strong", { class: "loss" }, "\u2717 yes") : "no"],
  ]);
}

/** Fills one table body, or shows the section's empty-state line instead. */
function fillTable(tableSel, emptySel, rows) {
  $(`${tableSel} tbody`).replaceChildren(...rows);
  $(emptySel).hidden = rows.length !== 0;
}

async function loadPositions(fresh) {
  const result = await loadInto("#positions", "/api/v1/positions", fresh);
  if (!result) return;
  const rows = (result.positions ?? []).map((p) =>
    el(
      "tr",
      {},
      el("th", { scope: "row" }, p.symbol),
      el("td", { class: "num" }, `${fmtQty(p.qty)}${p.side === "short" ? " (short)" : ""}`),
      el("td", { class: "num" }, fmtMoney(p.avgEntryPrice)),
      el("td", { class: "num" }, fmtMoney(p.currentPrice)),
      el("td", { class: "num" }, fmtMoney(p.marketValue)),
      el("td", { class: "num" }, signedMoney(p.unrealizedPl), " (", signedPct(p.unrealizedPlpc), ")"),
    ),
  );
  fillTable("#positions-table", "#positions-empty", rows);
}

// ---------------------------------------------------------------- orders and fills

async function loadOrders(fresh) {
  const result = await loadInto("#orders", "/api/v1/orders?status=all&limit=50", fresh);
  if (!result) return;
  const rows = (result.orders ?? []).map((o) => {
    const price = isNum(o.limitPrice) ? ` limit ${fmtMoney(o.limitPrice)}` : isNum(o.stopPrice) ? ` stop ${fmtMoney(o.stopPrice)}` : "";
    const filled = o.filledQty > 0 ? `${fmtQty(o.filledQty)} @ ${fmtMoney(o.filledAvgPrice)}` : "0";
    return el(
      "tr",
      { "data-order-id": o.id },
      el("td", {}, timeNode(o.submittedAt)),
      el("th", { scope: "row" }, o.symbol),
      el("td", {}, String(o.side ?? "").toUpperCase()),
      el("td", { class: "num" }, isNum(o.qty) ? fmtQty(o.qty) : fmtMoney(o.notional)),
      el("td", {}, `${o.type ?? ""}${price} · ${o.timeInForce ?? ""}`),
      el("td", { class: `status status-${o.status}`, title: o.rejectReason ?? null }, o.rejectReason ? `${o.status}: ${o.rejectReason}` : o.status),
      el("td", { class: "num" }, filled),
      el("td", {}, el("code", {}, o.clientOrderId ?? "")),
    );
  });
  fillTable("#orders-table", "#orders-empty", rows);
}

async function loadFills(fresh) {
  const result = await loadInto("#fills", "/api/v1/fills?limit=50", fresh);
  if (!result) return;
  // The tool lists oldest first; the newest execution is what the approver looks for.
  const fills = [...(result.fills ?? [])].sort((a, b) => (Date.parse(b.time) || 0) - (Date.parse(a.time) || 0));
  const rows = fills.map((f) =>
    el(
      "tr",
      { "data-fill-id": f.fillId },
      el("td", {}, timeNode(f.time)),
      el("th", { scope: "row" }, f.symbol),
      el("td", {}, String(f.side ?? "").toUpperCase()),
      el("td", { class: "num" }, fmtQty(f.qty)),
      el("td", { class: "num" }, fmtMoney(f.price)),
      el("td", {}, el("code", {}, f.orderId ?? "")),
      el("td", {}, el("code", {}, f.proposalId ?? "")),
    ),
  );
  fillTable("#fills-table", "#fills-empty", rows);
}

// ---------------------------------------------------------------- analyses

let explainSeq = 0;

async function loadAnalyses(fresh) {
  const result = await loadInto("#analyses", "/api/v1/analyses?limit=20", fresh);
  if (!result) return;
  const rows = (result.analyses ?? []).map((a) => {
    const button = el("button", { type: "button", class: "explain", "data-analysis-id": a.analysisId, "aria-label": `Explain ${a.symbol} ${a.decision} analysis of ${a.asOf}` }, "Explain");
    button.addEventListener("click", () => explain(a));
    const outcome = a.outcome ? `${a.outcome}${isNum(a.realizedReturn) ? ` (${signOf(a.realizedReturn)}${fmtPct(Math.abs(a.realizedReturn), 2)})` : ""}` : "pending";
    return el(
      "tr",
      { "data-analysis-id": a.analysisId },
      el("td", {}, timeNode(a.asOf)),
      el("th", { scope: "row" }, a.symbol, a.synthetic ? el("span", { class: "tag" }, "synthetic") : null),
      el("td", { class: `decision-${a.decision}` }, a.decision),
      el("td", { class: "num" }, fmtPct(a.confidence)),
      el("td", { class: "num" }, fmtPct(a.probability)),
      el("td", {}, a.regime),
      el("td", {}, outcome),
      el("td", {}, button),
    );
  });
  fillTable("#analyses-table", "#analyses-empty", rows);
}

/** Loads explain_signal and the chart side by side into the detail panel. */
async function explain(a) {
  const seq = ++explainSeq;
  const epoch = session.epoch;
  const panel = $("#analysis-detail");
  const heading = el("h3", { id: "analysis-detail-title", tabindex: -1 }, `Explain: ${a.symbol} ${a.decision}, as of `, timeNode(a.asOf));
  panel.hidden = false;
  panel.replaceChildren(heading, el("p", { class: "notice" }, "Loading…"));
  heading.focus();
  const [detail, chart] = await Promise.all([
    apiGet(`/api/v1/analyses/${encodeURIComponent(a.analysisId)}`),
    callTool("chart_ticker", { symbol: a.symbol, to: a.asOf, limit: 120 }),
  ]);
  if (seq !== explainSeq || epoch !== session.epoch) return;
  // Keep the (focused) heading in place; replace only what follows it.
  while (heading.nextSibling) heading.nextSibling.remove();
  if (isOk(detail)) panel.append(...explanationNodes(detail.body));
  else panel.append(el("p", { class: "error-text" }, errorText(detail)));
  panel.append(chartNode(a, chart));
}

function explanationNodes(body) {
  const x = body.result ?? {};
  const lv = x.levels ?? {};
  const bars = x.bars ?? {};
  const facts = factList(el("dl", { class: "facts" }), [
    ["Decision", x.decision],
    ["Confidence", fmtPct(x.confidence)],
    ["Ensemble score", isNum(x.ensembleScore) ? x.ensembleScore.toFixed(3) : "n/a"],
    ["Probability", isNum(x.probability) ? `${fmtPct(x.probability)} up over ${x.horizonDays} days (${x.modelVersion ?? "model"})` : "n/a"],
    ["Regime", `${x.regime ?? "?"}${x.regimeDetail?.reason ? ` — ${x.regimeDetail.reason}` : ""}`],
    ["Entry / stop", `${fmtMoney(lv.entry)} / ${fmtMoney(lv.stop)}`],
    ["Targets", Array.isArray(lv.targets) && lv.targets.length ? lv.targets.map((t) => fmtMoney(t)).join(", ") : "none"],
    ["Bars", `${bars.count ?? "?"} ${bars.timeframe ?? ""} bars, ${String(bars.from ?? "").slice(0, 10)} to ${String(bars.to ?? "").slice(0, 10)}${bars.synthetic ? " (synthetic data)" : ""}`],
    ["Bars re-checked", bars.stillMatches ? "\u2713 unchanged since the analysis" : "\u2717 CHANGED since the analysis"],
    ["Outcome", x.outcome ? `${x.outcome.outcome}, ${signOf(x.outcome.realizedReturn)}${fmtPct(Math.abs(x.outcome.realizedReturn), 2)}` : "not scored yet"],
    ["Analysis id", el("code", {}, x.analysisId ?? "")],
  ]);
  const weights = x.weights ?? {};
  const votes = (x.votes ?? []).map((v) =>
    el("tr", {}, el("th", { scope: "row" }, v.strategy), el("td", {}, v.vote), el("td", { class: "num" }, fmtPct(v.confidence)), el("td", { class: "num" }, isNum(weights[v.strategy]) ? weights[v.strategy].toFixed(2) : "n/a"), el("td", {}, v.reason)),
  );
  const votesTable = el(
    "div",
    { class: "table-wrap", tabindex: 0, role: "group", "aria-labelledby": "votes-caption" },
    el(
      "table",
      {},
      el("caption", { id: "votes-caption" }, "Strategy votes"),
      el("thead", {}, el("tr", {}, ["Strategy", "Vote", "Confidence", "Weight", "Reason"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, votes),
    ),
  );
  return [
    el("p", { class: "summary" }, body.text ?? ""),
    facts,
    votesTable,
    // Model-written text: shown as plain text, marked as such.
    el("h4", {}, "Rationale (model text)"),
    el("blockquote", { class: "untrusted" }, x.rationale ?? ""),
  ];
}

function chartNode(a, r) {
  if (!isOk(r)) return el("p", { class: "error-text" }, `Chart unavailable: ${errorText(r)}`);
  const img = (r.body.images ?? []).find((i) => /^image\/(png|jpeg|webp)$/.test(i.mimeType) && /^[A-Za-z0-9+/=\s]+$/.test(i.data ?? ""));
  if (!img) return el("p", { class: "error-text" }, "Chart unavailable: the server sent no image.");
  const c = r.body.result ?? {};
  const from = String(c.bars?.from ?? "").slice(0, 10);
  const to = String(c.bars?.to ?? a.asOf).slice(0, 10);
  const markers = Array.isArray(c.markers) ? c.markers.length : 0;
  const alt =
    `Price chart of ${c.symbol ?? a.symbol}: ${c.bars?.count ?? "recent"} ${c.timeframe ?? "daily"} candles from ${from || "?"} to ${to}` +
    `${c.overlays?.length ? ` with ${c.overlays.join(", ")}` : ""}, ${c.lower ?? "indicator"} pane, ${markers} BUY/SELL signal markers${c.source?.synthetic ? ", synthetic data" : ""}.`;
  const attrs = { src: `data:${img.mimeType};base64,${img.data.replace(/\s+/g, "")}`, alt, class: "chart" };
  if (isNum(c.image?.width)) Object.assign(attrs, { width: c.image.width, height: c.image.height });
  return el("figure", { class: "chart-figure" }, el("img", attrs), el("figcaption", {}, r.body.text ?? ""));
}

// ---------------------------------------------------------------- audit log

const AUDIT_ROWS = 50;

async function loadAudit(fresh) {
  const result = await loadInto("#audit", `/api/v1/audit?limit=${AUDIT_ROWS}`, fresh);
  if (!result) return;
  const rows = [...(result.rows ?? [])].sort((a, b) => b.seq - a.seq);
  const maxLoaded = rows.length ? rows[0].seq : 0;
  // Rows that arrived live while this request was in flight are newer than its answer: keep them.
  const tbody = $("#audit-table tbody");
  const liveNewer = [...tbody.rows].filter((tr) => Number(tr.dataset.seq) > maxLoaded);
  tbody.replaceChildren(...liveNewer, ...rows.map((row) => auditRow(row, false)));
  trimAudit();
}

function auditRow(row, isNew) {
  return el(
    "tr",
    { "data-seq": row.seq, "data-kind": row.kind, class: isNew ? "fresh" : null },
    el("th", { scope: "row", class: "num" }, String(row.seq)),
    el("td", {}, timeNode(row.ts)),
    el("td", {}, el("code", {}, row.kind)),
    el("td", {}, row.actor ?? ""),
    el("td", {}, row.channel ?? ""),
    el("td", {}, row.subject ?? ""),
  );
}

/** A row from the live feed goes on top (once; the feed may repeat a row after a reconnect). */
function prependAudit(row) {
  const tbody = $("#audit-table tbody");
  if (!isNum(row.seq) || tbody.querySelector(`tr[data-seq="${row.seq}"]`)) return;
  const before = [...tbody.rows].find((tr) => Number(tr.dataset.seq) < row.seq) ?? null;
  tbody.insertBefore(auditRow(row, true), before);
  trimAudit();
}

function trimAudit() {
  const tbody = $("#audit-table tbody");
  while (tbody.rows.length > AUDIT_ROWS) tbody.lastElementChild.remove();
  $("#audit-empty").hidden = tbody.rows.length !== 0;
}

async function onVerify() {
  const button = $("#verify-chain");
  const out = $("#verify-result");
  button.disabled = true;
  out.dataset.ok = "pending";
  out.textContent = "Verifying…";
  const r = await apiPost("/api/v1/audit/verify", {});
  button.disabled = false;
  if (r.status === 401) return;
  if (!isOk(r)) {
    out.dataset.ok = "error";
    out.textContent = errorText(r);
    return;
  }
  const v = r.body.result;
  out.dataset.ok = String(Boolean(v.ok));
  out.textContent = v.ok
    ? `Chain intact: ${v.rows} rows, head ${v.headHash ? `${v.headHash.slice(0, 12)}…` : "none"}`
    : `BROKEN at row ${v.firstBroken?.seq ?? "?"}: ${v.firstBroken?.reason ?? "unknown reason"}`;
}

// ---------------------------------------------------------------- live event feed

let events = null;
let reconnectTimer = null;

function setLive(status) {
  const badge = $("#live-status");
  badge.textContent = status;
  badge.dataset.live = status;
}

function parseData(ev) {
  try {
    return JSON.parse(ev.data);
  } catch {
    return null;
  }
}

function startEvents() {
  stopEvents();
  const es = new EventSource("/api/v1/events");
  events = es;
  let dropped = false;
  es.addEventListener("open", () => {
    setLive("live");
    // Events sent while disconnected were missed: reload everything once.
    if (dropped) scheduleRefresh(ALL_SECTIONS);
    dropped = false;
  });
  es.addEventListener("error", () => {
    if (events !== es) return;
    dropped = true;
    if (es.readyState !== EventSource.CLOSED) return setLive("reconnecting");
    // The browser gave up (e.g. the server answered 401): find out whether we are still signed in.
    setLive("reconnecting");
    es.close();
    events = null;
    recheckSession(true);
  });
  es.addEventListener("audit", (ev) => {
    const row = parseData(ev);
    if (!row || typeof row.kind !== "string") return;
    prependAudit(row);
    scheduleRefresh(sectionsForKind(row.kind));
  });
  es.addEventListener("clock", (ev) => {
    const data = parseData(ev);
    if (data?.now) setServerClock(data.now);
  });
}

function stopEvents() {
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
  if (events) events.close();
  events = null;
}

/** Asks the server whether the session is alive; 401 → login. Optionally reopens the feed. */
async function recheckSession(reconnect) {
  if (session.checking) return;
  session.checking = true;
  const epoch = session.epoch;
  const r = await request("GET", "/console/session", undefined, { authFlow: true });
  session.checking = false;
  if (epoch !== session.epoch) return;
  if (r.status === 401) return showLogin("Your session ended. Sign in again.");
  if (isOk(r)) adoptSession(r.body);
  if (reconnect) reconnectTimer = setTimeout(startEvents, 3000);
}

/** Past the session's end on the server clock: ask the server rather than guess. */
function checkSessionExpiry(now) {
  const end = Date.parse(session.expiresAt ?? "");
  // At most every 30 s, in case the server keeps answering with the same end time.
  if (!Number.isFinite(end) || now < end || !session.csrf || performance.now() - session.lastCheck < 30_000) return;
  session.lastCheck = performance.now();
  recheckSession(false);
}

// ---------------------------------------------------------------- session and login

function adoptSession(s) {
  if (s.csrfToken) session.csrf = s.csrfToken;
  session.expiresAt = s.expiresAt ?? null;
  if (s.now) setServerClock(s.now);
}

let countdownTimer = null;

function startSession(s) {
  session.epoch += 1;
  adoptSession(s);
  proposalsSeenOnce = false;
  $("#login").hidden = true;
  $("#console").hidden = false;
  $("#status-bar").hidden = false;
  setLive("connecting");
  startEvents();
  countdownTimer = setInterval(tickCountdowns, 1000);
  for (const name of ALL_SECTIONS) load(name);
}

/** Ends the page's session state and shows the login form; no data from the old session stays on screen. */
function showLogin(message) {
  session.epoch += 1;
  session.csrf = null;
  session.expiresAt = null;
  stopEvents();
  clearInterval(countdownTimer);
  countdownTimer = null;
  clearTimeout(refreshTimer);
  refreshTimer = null;
  queued.clear();
  clearConsole();
  $("#boot").hidden = true;
  $("#console").hidden = true;
  $("#status-bar").hidden = true;
  $("#login").hidden = false;
  $("#login-notice").textContent = message ?? "";
  $("#login-error").textContent = "";
  $("#token").focus();
}

function clearConsole() {
  cards.clear();
  $("#proposal-list").replaceChildren();
  $("#recent-decisions").replaceChildren();
  $("#recent-decisions-wrap").hidden = true;
  for (const sel of ["#positions-table", "#orders-table", "#fills-table", "#analyses-table", "#audit-table"]) $(`${sel} tbody`).replaceChildren();
  for (const sel of ["#state-facts", "#limits-facts", "#account", "#action-result", "#proposal-announcer", "#analysis-detail"]) $(sel).replaceChildren();
  for (const slot of document.querySelectorAll("[data-role=load-error]")) slot.textContent = "";
  $("#analysis-detail").hidden = true;
  $("#live-banner").hidden = true;
  $("#verify-result").textContent = "";
  document.body.classList.remove("mode-live");
}

async function onLogin(ev) {
  ev.preventDefault();
  const input = $("#token");
  const error = $("#login-error");
  const button = $("#login-submit");
  if (input.value === "") {
    error.textContent = "Enter the approver token.";
    return input.focus();
  }
  button.disabled = true;
  error.textContent = "";
  // The token goes in this request's body and nowhere else; the server answers with a cookie.
  const r = await request("POST", "/console/login", { token: input.value }, { authFlow: true });
  button.disabled = false;
  if (r.status === 200 && r.body?.csrfToken) {
    input.value = "";
    $("#login-notice").textContent = "";
    startSession(r.body);
    $("#proposals-title").focus();
    return;
  }
  error.textContent = r.body?.error?.message ?? `Sign-in failed (HTTP ${r.status}).`;
  input.select();
}

async function onLogout() {
  await apiPost("/console/logout", {});
  showLogin("Signed out.");
}

async function boot() {
  $("#login-form").addEventListener("submit", onLogin);
  $("#logout").addEventListener("click", onLogout);
  $("#halt-form").addEventListener("submit", onHalt);
  $("#resume-form").addEventListener("submit", onResume);
  $("#verify-chain").addEventListener("click", onVerify);
  const r = await request("GET", "/console/session", undefined, { authFlow: true });
  $("#boot").hidden = true;
  if (r.status === 200 && r.body?.csrfToken) startSession(r.body);
  else showLogin(r.status === 401 ? "" : `The server did not answer as expected (${errorText(r)}).`);
}

// For browser tests: the exact function the Approve/Reject buttons call.
window.argusConsole = Object.freeze({ decide });

boot();
