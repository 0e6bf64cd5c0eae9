// Copy and print buttons of the receipt code. Without JavaScript the buttons stay hidden and the
// code is still on the page to write down.
(function () {
  "use strict";
  document.querySelectorAll("[data-puls-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-puls-copy"));
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.getAttribute("data-puls-copied") || button.textContent;
      });
    });
  });
  document.querySelectorAll("[data-puls-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
