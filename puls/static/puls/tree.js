// Unit tree: disclosure buttons (WAI-ARIA disclosure pattern). Each [data-tree-toggle] button has
// aria-expanded and aria-controls naming the list of sub-units it shows or hides. Enter and Space
// work because these are real <button>s. Delegated listeners keep working after htmx swaps.
(function () {
  "use strict";

  function setExpanded(button, expanded) {
    button.setAttribute("aria-expanded", expanded ? "true" : "false");
    var group = document.getElementById(button.getAttribute("aria-controls"));
    if (group) {
      group.hidden = !expanded;
    }
  }

  function setAll(tree, expanded) {
    tree.querySelectorAll("[data-tree-toggle]").forEach(function (button) {
      setExpanded(button, expanded);
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-tree-toggle]");
    if (toggle) {
      setExpanded(toggle, toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    var all = event.target.closest("[data-tree-all]");
    if (all) {
      var tree = document.getElementById(all.getAttribute("aria-controls"));
      if (tree) {
        setAll(tree, all.getAttribute("data-tree-all") === "expand");
      }
    }
  });

  function showTools() {
    document.querySelectorAll("[data-tree-tools]").forEach(function (tools) {
      tools.hidden = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showTools);
  } else {
    showTools();
  }
})();
