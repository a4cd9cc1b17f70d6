// The register saves without a page reload when JavaScript runs; without it the form posts as
// usual and the server redirects back. Either way one request saves the whole register.
(function () {
  "use strict";
  var form = document.querySelector("[data-register]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-register-status]");
  var button = form.querySelector("button[type=submit]");

  form.addEventListener("submit", function (event) {
    // "All present" changes the radios the page shows: let it post and reload as usual.
    if (event.submitter && event.submitter.name === "all_present") { return; }
    event.preventDefault();
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, message: data.message };
      });
    }).then(function (result) {
      status.textContent = result.message;
      status.classList.toggle("register__status--error", !result.ok);
    }).catch(function () {
      // Offline or a server error: fall back to an ordinary post so nothing is lost silently.
      form.submit();
    }).then(function () {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    });
  });
})();
