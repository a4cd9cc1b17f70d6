// A print button, shown only when a script can press it for the reader.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
