// Suggestions for the header search box: after a short pause in typing, the titles whose words
// begin with what was typed fill the box's <datalist>. Without this script the box still works.
(function () {
  "use strict";
  var input = document.querySelector("[data-suggest-url]");
  var list = input && document.getElementById(input.getAttribute("list"));
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var asked = "";
  function fill(suggestions) {
    list.textContent = "";
    suggestions.forEach(function (title) {
      var option = document.createElement("option");
      option.value = title;
      list.appendChild(option);
    });
  }
  function suggest() {
    var text = input.value.trim();
    if (text === asked) { return; }
    asked = text;
    if (text.length < 2) { fill([]); return; }
    var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(text);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value.trim() === text) { fill(data.suggestions || []); } })
      .catch(function () { fill([]); });
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 200);
  });
})();
