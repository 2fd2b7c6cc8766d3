// Small progressive enhancements. No inline scripts anywhere (CSP).
(function () {
  "use strict";

  // When a parent address select changes, clear the selects below the one htmx refills,
  // so a stale commune never stays selected under a new district.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-address-parent]");
    if (!select) return;
    var child = document.getElementById(select.id.replace(/[^_]+$/, select.dataset.addressParent));
    while (child) {
      var grandChildName = child.dataset.addressParent;
      if (!grandChildName) break;
      var grandChild = document.getElementById(child.id.replace(/[^_]+$/, grandChildName));
      if (grandChild) grandChild.innerHTML = '<option value="">---------</option>';
      child = grandChild;
    }
  });
})();

// Print buttons: <a data-print>.
document.addEventListener("click", function (event) {
  var trigger = event.target.closest("[data-print]");
  if (!trigger) return;
  event.preventDefault();
  window.print();
});
