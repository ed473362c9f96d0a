// docgen page: calls the same API as any client. Data is only ever put in the page as text.
"use strict";

(function () {
  const KEY = "docgen-api-key";
  const $ = (id) => document.getElementById(id);
  let currentJob = null;
  let pollTimer = null;
  const objectUrls = [];

  function apiKey() { return sessionStorage.getItem(KEY) || ""; }

  async function api(path, options = {}) {
    const headers = Object.assign({ "X-API-Key": apiKey() }, options.headers || {});
    return fetch(path, Object.assign({}, options, { headers }));
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      return { message: body.message || "The request failed.", problems: body.problems || [] };
    } catch (e) {
      return { message: "The request failed (" + response.status + ").", problems: [] };
    }
  }

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function say(text, isError) {
    const status = $("status");
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  // ------------------------------------------------------------ key

  function showKeyState() {
    const has = Boolean(apiKey());
    $("forget-key").hidden = !has;
    $("key-status").textContent = has ? "A key is set for this tab." : "No key set yet.";
    $("jobs-section").hidden = !has;
    if (has) loadJobs();
  }

  $("key-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = $("api-key").value.trim();
    if (!value) { $("key-status").textContent = "Enter the key first."; return; }
    const response = await fetch("/api/jobs", { headers: { "X-API-Key": value } });
    if (response.status === 401) {
      $("key-status").textContent = "That key was not accepted. Check it with your administrator.";
      $("key-status").className = "error";
      return;
    }
    sessionStorage.setItem(KEY, value);
    $("api-key").value = "";
    $("key-status").className = "";
    showKeyState();
    $("key-status").textContent = "Key accepted. You can upload a file now.";
  });

  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    showKeyState();
    $("api-key").focus();
  });

  // ------------------------------------------------------------ problems table

  function humanColumn(column) {
    return column ? column.replace(/_/g, " ") : "(whole row)";
  }

  function showProblems(problems, intro) {
    const section = $("problems-section");
    const body = $("problems-table").querySelector("tbody");
    body.replaceChildren();
    if (!problems || problems.length === 0) { section.hidden = true; return; }
    for (const p of problems) {
      const tr = el("tr");
      tr.append(el("td", p.row ?? ""), el("td", humanColumn(p.column)), el("td", p.message));
      body.append(tr);
    }
    $("problems-intro").textContent = intro;
    section.hidden = false;
  }

  // ------------------------------------------------------------ upload

  $("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!apiKey()) { $("key-status").textContent = "Enter your office key first."; $("api-key").focus(); return; }
    const fileInput = $("file");
    if (!fileInput.files.length) {
      $("job-section").hidden = false;
      say("Choose a results file first.", true);
      fileInput.focus();
      return;
    }
    const formats = Array.from(document.querySelectorAll("input[name=formats]:checked")).map((c) => c.value);
    if (!formats.length) {
      $("job-section").hidden = false;
      say("Choose at least one format.", true);
      return;
    }
    const form = new FormData();
    form.append("file", fileInput.files[0]);
    form.append("pack", $("pack").value);
    form.append("date", $("date").value);
    form.append("formats", formats.join(","));
    form.append("duplex_letters", $("duplex-letters").checked ? "true" : "false");
    resetJobView();
    $("job-section").hidden = false;
    say("Uploading and checking the file…");
    $("upload-button").disabled = true;
    try {
      const response = await api("/api/jobs", { method: "POST", body: form });
      if (!response.ok) {
        const err = await errorMessage(response);
        say(err.message, true);
        showProblems(err.problems, "Nothing was made. Fix these problems in your file and upload it again.");
        if (err.problems.length) $("problems-heading").focus();
        return;
      }
      const job = await response.json();
      follow(job);
    } catch (e) {
      say("The server could not be reached. Try again.", true);
    } finally {
      $("upload-button").disabled = false;
    }
  });

  function resetJobView() {
    if (pollTimer) clearTimeout(pollTimer);
    currentJob = null;
    $("summary").replaceChildren();
    $("job-file").textContent = "";
    $("download-button").hidden = true;
    $("progress-wrap").hidden = true;
    $("previews-section").hidden = true;
    $("previews").replaceChildren();
    while (objectUrls.length) URL.revokeObjectURL(objectUrls.pop());
    showProblems([], "");
  }

  // ------------------------------------------------------------ following a job

  function setProgress(done, total, unit) {
    const bar = $("progress");
    const max = total || 0;
    bar.setAttribute("aria-valuemax", String(max || 100));
    bar.setAttribute("aria-valuenow", String(done));
    bar.setAttribute("aria-valuetext", max ? done + " of " + max + " " + (unit || "documents") : "preparing");
    bar.querySelector(".bar").style.width = max ? Math.round((100 * done) / max) + "%" : "0";
  }

  // The pipeline's stages after rendering (docgen.pipeline.STAGES): what the bar counts in each.
  const STAGE_UNITS = { "Letters print file": "volumes", "Judge's batch": "volumes" };
  const STAGE_TEXT = { "Report": "Writing the report…", "Manifest": "Writing the manifest…" };

  // A running job's bar and status line: documents while rendering, then the stage's own count
  // (e.g. "Judge's batch: 3 of 38 volumes"), so a long batch does not look stuck at 100 %.
  function showRunning(p) {
    const stage = p.stage;
    if (!stage || stage === "Rendering") {
      $("progress-label").textContent = "Documents made";
      setProgress(p.done, p.total);
      say(p.total ? "Making documents: " + p.done + " of " + p.total + " done." : "Reading the file…");
      return;
    }
    $("progress-label").textContent = stage + (p.total ? " (all " + p.total + " documents made)" : "");
    const unit = STAGE_UNITS[stage];
    if (unit) {
      setProgress(p.stage_done || 0, p.stage_total, unit);
      say(p.stage_total ? stage + ": " + (p.stage_done || 0) + " of " + p.stage_total + " " + unit + "." : stage + "…");
    } else {
      setProgress(p.stage_done || 0, p.stage_total, "steps");
      say(STAGE_TEXT[stage] || stage + "…");
    }
  }

  function follow(job) {
    currentJob = job;
    $("job-file").textContent = "File: " + job.file + " · court: " + job.pack + " · date: " + job.date;
    render(job);
  }

  async function poll() {
    if (!currentJob) return;
    const response = await api("/api/jobs/" + currentJob.id);
    if (!response.ok) { say((await errorMessage(response)).message, true); return; }
    render(await response.json());
  }

  function render(job) {
    currentJob = job;
    const total = job.progress.total;
    const done = job.progress.done;
    $("cancel-button").hidden = job.finished;
    if (!job.finished) {
      $("progress-wrap").hidden = false;
      if (job.status === "queued") { setProgress(done, total); say("Waiting for a free worker…"); }
      else showRunning(job.progress);
      if (job.problems && job.problems.length) {
        showProblems(job.problems, "These rows are left out of the documents (see rejects.csv in the download). Everything else is being made.");
      }
      pollTimer = setTimeout(poll, 700);
      return;
    }
    $("progress-wrap").hidden = job.status !== "done";
    if (job.status === "done") {
      $("progress-label").textContent = "Documents made";
      setProgress(total || 0, total || 0);
      const s = job.summary;
      say("Finished: " + s.cases + (s.cases === 1 ? " case, " : " cases, ") + s.letters + (s.letters === 1 ? " letter. " : " letters. ") +
          (s.rows_rejected ? s.rows_rejected + (s.rows_rejected === 1 ? " row" : " rows") + " left out; see the problems below." : "Every row is accounted for."));
      showSummary(s);
      showProblems(job.problems, "These rows are not in any document. They are also listed in rejects.csv in the download.");
      $("download-button").hidden = false;
      showPreviews(job.previews || []);
      $("status-heading").focus();
    } else if (job.status === "cancelled") {
      say("Cancelled. " + (job.message || ""), false);
    } else {
      say("The job failed: " + (job.message || "unknown reason"), true);
      showProblems(job.problems, "Fix these problems in your file and upload it again.");
    }
    loadJobs();
  }

  function showSummary(s) {
    const dl = el("dl", null, { class: "counts" });
    const rows = [
      ["Rows in the file", s.input_rows],
      ["In documents", s.rows_in_documents],
      ["Not eligible", s.rows_not_eligible],
      ["Need review", s.rows_needs_review],
      ["Left out (problems)", s.rows_rejected],
    ];
    // Illinois arrest-only records the State Police expunge themselves: shown only when present.
    if (s.rows_automatic) rows.push(["Automatic expungement (no motion)", s.rows_automatic]);
    rows.push(
      ["Cases", s.cases],
      ["Letters", s.letters],
      ["People without an address (no letter)", s.people_without_address],
    );
    for (const [k, v] of rows) dl.append(el("dt", k), el("dd", v));
    $("summary").replaceChildren(dl);
  }

  async function showPreviews(previews) {
    const box = $("previews");
    box.replaceChildren();
    if (!previews.length) return;
    $("previews-section").hidden = false;
    for (const p of previews) {
      const figure = el("figure");
      const img = el("img", null, { alt: "First page of the " + p.label.toLowerCase() + " " + p.document, "data-kind": p.kind });
      figure.append(img, el("figcaption", p.label));
      box.append(figure);
      const response = await api(p.url);
      if (response.ok) {
        const url = URL.createObjectURL(await response.blob());
        objectUrls.push(url);
        img.src = url;
      } else {
        img.alt = "Preview not available";
      }
    }
  }

  $("cancel-button").addEventListener("click", async () => {
    if (!currentJob) return;
    const response = await api("/api/jobs/" + currentJob.id + "/cancel", { method: "POST" });
    if (!response.ok) say((await errorMessage(response)).message, true);
    else say("Cancelling…");
  });

  $("download-button").addEventListener("click", async () => {
    if (!currentJob) return;
    const button = $("download-button");
    button.disabled = true;
    say("Preparing the download…");
    try {
      const response = await api("/api/jobs/" + currentJob.id + "/download");
      if (!response.ok) { say((await errorMessage(response)).message, true); return; }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = el("a", null, { href: url, download: (currentJob.summary.run_id || "docgen") + ".zip" });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      say("Download started.");
    } finally {
      button.disabled = false;
    }
  });

  // ------------------------------------------------------------ recent jobs

  async function loadJobs() {
    if (!apiKey()) return;
    const response = await api("/api/jobs");
    if (!response.ok) return;
    const jobs = await response.json();
    const body = $("jobs-table").querySelector("tbody");
    body.replaceChildren();
    for (const job of jobs.slice(0, 20)) {
      const tr = el("tr");
      const open = el("button", "Open", { type: "button", class: "secondary", "aria-label": "Open job for " + job.file });
      open.addEventListener("click", async () => {
        resetJobView();
        $("job-section").hidden = false;
        const r = await api("/api/jobs/" + job.id);
        if (r.ok) follow(await r.json());
        $("status-heading").focus();
      });
      const action = el("td");
      action.append(open);
      tr.append(el("td", job.file), el("td", job.pack), el("td", job.date), el("td", job.status), action);
      body.append(tr);
    }
  }

  showKeyState();
})();
