// "Preview dates" in the group form: posts the form to the preview view and shows the dates
// it returns. Nothing is saved; the server computes the dates exactly as saving would.
(function () {
  function setUp(panel) {
    var button = panel.querySelector("[data-schedule-preview-button]");
    var result = panel.querySelector("[data-schedule-preview-result]");
    button.addEventListener("click", function () {
      var form = panel.closest("form");
      var data = new FormData(form);
      // An existing group: the preview also says how many people saving would tell.
      if (panel.dataset.group) { data.set("group", panel.dataset.group); }
      button.disabled = true;
      fetch(panel.dataset.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" },
      })
        .then(function (response) {
          return response.text();
        })
        .then(function (html) {
          result.innerHTML = html;
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-schedule-preview]").forEach(setUp);
  });
})();
