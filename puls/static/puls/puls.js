// Start Det Fælles Designsystem's components; htmx is configured through the meta tag in base.html.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
document.addEventListener("htmx:afterSettle", function (event) {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    // DKFDS.init always restarts the main menu, which appends another "more" item: drop the old one.
    document.querySelectorAll(".navigation-menu .more-option").forEach(function (item) {
      item.remove();
    });
    window.DKFDS.init({ scope: event.target });
  }
});
