// Værdivejen facilitator mode: move between stops with the arrow keys or Page Up/Page Down (the keys a
// presentation remote sends) unless the facilitator is typing; Ctrl+Enter (or ⌘+Enter) adds the point.
document.addEventListener("keydown", function (event) {
  var target = event.target;
  var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  if (typing) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form) {
      event.preventDefault();
      target.form.requestSubmit();
    }
    return;
  }
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
    return;
  }
  var direction = null;
  if (event.key === "ArrowRight" || event.key === "PageDown") {
    direction = "next";
  } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
    direction = "prev";
  }
  if (direction === null) {
    return;
  }
  var link = document.querySelector('[data-walk-key="' + direction + '"]');
  if (link) {
    event.preventDefault();
    window.location.assign(link.href);
  }
});
