// Quick exit, after GOV.UK's "Exit this page": the button, or the Shift key pressed 3 times
// within 5 seconds, hides this page at once and replaces it (and its history entry) with a
// neutral site, for someone who must hide what they were reading.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.classList.add("is-leaving");
    document.title = "";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  // A space-bar press on a link with role="button" must act as a button's would.
  link.addEventListener("keydown", function (event) {
    if (event.key === " ") { leave(event); }
  });
  var presses = 0;
  var timer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) { leave(); }
  });
})();
