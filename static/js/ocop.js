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

// Score sheets on a poor connection (<form data-keep-draft="key" data-version="...">):
// every change is kept on this device until the server has saved a newer version, and is
// put back if the page is reloaded after a failed request. A failed request (offline, or
// an htmx call that cannot reach the server) says so; nothing typed is lost.
(function () {
  "use strict";
  var form = document.querySelector("form[data-keep-draft]");
  if (!form || !window.localStorage) return;
  var key = "ocop-" + form.dataset.keepDraft;
  var version = form.dataset.version || "";
  var restoredBox = document.querySelector("[data-draft-restored]");
  var lostBox = document.querySelector("[data-connection-lost]");

  function fields() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      values[el.name] = el.value;
    });
    return values;
  }

  function keep() {
    try {
      localStorage.setItem(key, JSON.stringify({ version: version, fields: fields() }));
    } catch (e) { /* storage full or disabled: the page itself still keeps the answers */ }
  }

  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  if (stored && stored.version === version) {
    var current = fields();
    var changed = false;
    Object.keys(stored.fields).forEach(function (name) {
      if (current[name] === stored.fields[name]) return;
      var els = form.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]');
      Array.prototype.forEach.call(els, function (el) {
        if (el.type === "radio") {
          if (el.value === stored.fields[name]) { el.checked = true; changed = true; }
        } else if (el.tagName === "TEXTAREA" || el.type === "text") {
          el.value = stored.fields[name]; changed = true;
        }
      });
    });
    if (changed) {
      if (restoredBox) restoredBox.classList.remove("d-none");
      // Recount the totals once htmx listens (it starts on DOMContentLoaded, before "load").
      window.addEventListener("load", function () {
        form.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
  } else if (stored) {
    localStorage.removeItem(key); // the server has a newer version: it wins
  }

  form.addEventListener("change", keep);
  form.addEventListener("input", keep);
  form.addEventListener("submit", function (event) {
    keep();
    if (navigator.onLine === false) {
      event.preventDefault();
      if (lostBox) lostBox.classList.remove("d-none");
    }
  });
  document.body.addEventListener("htmx:sendError", function () {
    if (lostBox) lostBox.classList.remove("d-none");
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && lostBox) lostBox.classList.add("d-none");
  });
})();

// Text limits: under every <textarea maxlength>, the characters used ("120 / 2000"). The
// server enforces the limit and the field's help text states it; this only counts.
(function () {
  "use strict";
  function attach(area) {
    if (area.dataset.charCounter) return;
    area.dataset.charCounter = "on";
    var max = parseInt(area.getAttribute("maxlength"), 10);
    var counter = document.createElement("div");
    counter.className = "form-text text-end";
    counter.setAttribute("data-char-count", "");
    function update() {
      // Line breaks count as one character, as the browser and the server count them.
      var used = area.value.replace(/\r\n/g, "\n").length;
      counter.textContent = used + " / " + max;
      counter.classList.toggle("text-danger", used >= max);
    }
    area.insertAdjacentElement("afterend", counter);
    area.addEventListener("input", update);
    update();
  }
  function scan(root) {
    if (root.matches && root.matches("textarea[maxlength]")) attach(root);
    Array.prototype.forEach.call(root.querySelectorAll("textarea[maxlength]"), attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
  // Content swapped in by htmx.
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();

// Irreversible steps ask once (<button data-confirm="what will follow">): the browser's own
// dialog, so it works with the keyboard and screen readers. Without JavaScript the step
// happens on the first tap, as before.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var text = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (text && !window.confirm(text)) event.preventDefault();
}, true);

// Uploads (<form data-upload>): the file goes by XMLHttpRequest so that the page shows its
// progress and the button cannot be pressed twice. The server answers a success with
// {"redirect": url} (ocop.core.service_views) and a refusal with the page again, whose
// <main> replaces this one's (what was typed is kept by the server, as without JavaScript).
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) return;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-upload]") || event.defaultPrevented) return;
    var label = form.querySelector("[data-upload-status]");
    // What the server would refuse as a whole (413) is refused here, before minutes of sending.
    var limit = parseInt(form.dataset.maxBytes || "0", 10);
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { total += f.size; });
    });
    if (limit && total > limit) {
      event.preventDefault();
      if (label) label.textContent = label.dataset.tooLarge || "";
      return;
    }
    event.preventDefault();
    var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    var bar = form.querySelector("[data-upload-progress]");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    if (bar) { bar.hidden = false; bar.value = 0; }
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-OCOP-Upload", "1");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round((e.loaded / e.total) * 100);
      if (bar) bar.value = percent;
      if (label) label.textContent = (label.dataset.template || "{percent}%").replace("{percent}", percent);
    });
    function fail() {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      if (bar) bar.hidden = true;
      if (label) label.textContent = label.dataset.failed || "";
    }
    xhr.addEventListener("error", fail);
    xhr.addEventListener("load", function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (xhr.status === 200 && type.indexOf("application/json") === 0) {
        window.location.assign(JSON.parse(xhr.responseText).redirect);
        return;
      }
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = page.querySelector("main");
      if (!main) {
        // Not one of our pages (a server error, a refused CSRF token): send the form the
        // ordinary way, so the browser shows whatever the server answers.
        form.removeAttribute("data-upload");
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        form.requestSubmit(event.submitter || undefined);
        return;
      }
      var current = document.querySelector("main");
      current.innerHTML = main.innerHTML;
      window.scrollTo(0, 0);
      if (window.htmx) window.htmx.process(current);
      // The page's own enhancements (text counters) listen for htmx:load.
      current.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true }));
    });
    xhr.send(data);
  });
})();

// The long forms: "Next unanswered" goes to the first criterion below the sticky bar (or
// from the top again) whose options are all unticked, skipping the cases not chosen.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-next-unanswered]");
  if (!button) return;
  var form = button.closest("form");
  var status = form.querySelector("[data-next-unanswered-status]");
  var open = Array.prototype.filter.call(form.querySelectorAll(".criterion"), function (row) {
    if (row.offsetParent === null) return false; // a case not chosen
    var radios = row.querySelectorAll("input[type=radio]");
    return radios.length && !Array.prototype.some.call(radios, function (r) { return r.checked; });
  });
  if (!open.length) { if (status) status.textContent = button.dataset.none; return; }
  var bar = button.closest(".sticky-top");
  var below = bar ? bar.getBoundingClientRect().bottom + 1 : 0;
  var next = open.find(function (row) { return row.getBoundingClientRect().top > below; }) || open[0];
  next.scrollIntoView({ behavior: "smooth", block: "start" });
  var first = next.querySelector("input[type=radio]");
  if (first) first.focus({ preventScroll: true });
});
