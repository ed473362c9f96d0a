// The petition form: posts the fields to /api/petitions with the office key and offers the zip.
// Messages from the server are put in the page as text only.
"use strict";

(function () {
  const KEY = "docgen-api-key"; // the same tab-only key as app.js
  const $ = (id) => document.getElementById(id);
  const form = $("petition-form");
  if (!form) return;
  let lastUrl = null;

  function say(text) { $("petition-status").textContent = text; }

  function showProblems(problems) {
    const list = $("petition-problems");
    list.replaceChildren();
    for (const p of problems || []) {
      const item = document.createElement("li");
      item.textContent = p.message;
      list.appendChild(item);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = sessionStorage.getItem(KEY) || "";
    if (!key) { say("Enter your office key first (step 1)."); return; }
    const data = new FormData();
    const formats = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (name === "formats") { formats.push(value); continue; }
      if (name === "lawyer_address") {
        for (const line of String(value).split("\n")) if (line.trim()) data.append(name, line.trim());
        continue;
      }
      if (String(value).trim()) data.append(name, value);
    }
    data.append("formats", formats.join(","));
    showProblems([]);
    $("petition-download").hidden = true;
    $("petition-button").disabled = true;
    say("Making the petition…");
    try {
      const response = await fetch("/api/petitions", {
        method: "POST", body: data, headers: { "X-API-Key": key },
      });
      if (!response.ok) {
        let body = {};
        try { body = await response.json(); } catch (e) { /* not JSON */ }
        say(body.message || ("The petition could not be made (" + response.status + ")."));
        showProblems(body.problems);
        return;
      }
      const blob = await response.blob();
      if (lastUrl) URL.revokeObjectURL(lastUrl);
      lastUrl = URL.createObjectURL(blob);
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = /filename="([^"]+)"/.exec(disposition);
      const link = $("petition-download");
      link.href = lastUrl;
      link.download = match ? match[1] : "petition.zip";
      link.hidden = false;
      say("Done: the motion, the order and the notice of filing are in the download.");
      link.focus();
    } catch (e) {
      say("The service could not be reached.");
    } finally {
      $("petition-button").disabled = false;
    }
  });
})();
