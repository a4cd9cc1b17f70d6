// The progress of a spreadsheet import checked or imported in the background: asks the
// server every two seconds and reloads the page once the work is done. Without a script the
// page has a Refresh link.
(function () {
  "use strict";
  var section = document.querySelector("[data-sheet-import-progress]");
  if (!section || !section.hasAttribute("data-waiting")) { return; }
  var url = section.getAttribute("data-sheet-import-progress");
  var bar = section.querySelector("[data-progress-bar]");
  var label = section.querySelector("[data-progress-label]");
  var rows = section.querySelector("[data-progress-rows]");
  var template = rows ? rows.textContent : "";
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) { return; }
        if (!progress.waiting) { window.location.reload(); return; }
        bar.value = progress.percent;
        bar.textContent = progress.percent + " %";
        label.textContent = progress.status_label;
        rows.textContent = template.replace(/\d+/, String(progress.rows_done));
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
