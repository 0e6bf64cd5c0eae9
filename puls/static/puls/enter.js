// Invitation links carry the personal token in the fragment (#...), which browsers never send to
// the server. Remove it from the address bar and history at once, then post it to exchange it for
// the ballot cookie. Without JavaScript the page shows the code form instead.
(function () {
  "use strict";
  var form = document.getElementById("puls-token-form");
  var fragment = window.location.hash.replace(/^#/, "");
  if (!form || !fragment) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  var token = fragment.replace(/[^0-9A-Za-z]/g, "");
  if (token.length !== 16) {
    return;
  }
  form.elements.code.value = token;
  form.submit();
})();
