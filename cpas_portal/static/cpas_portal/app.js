// Confirmation before an irreversible action.
//
// A form (or a submit button) carrying data-confirm="what will happen" opens the page's
// <dialog id="confirm-dialog"> with that text; the form is only submitted when the user confirms.
// data-confirm-label sets the confirm button's text (default: the dialog's own "Confirm").
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var message = dialog.querySelector("[data-confirm-message]");
  var accept = dialog.querySelector("[data-confirm-accept]");
  var defaultLabel = accept.textContent;
  var pending = null;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var source = (submitter && submitter.hasAttribute("data-confirm")) ? submitter : form;
    if (!source.hasAttribute || !source.hasAttribute("data-confirm")) { return; }
    if (form.dataset.confirmed === "1") { delete form.dataset.confirmed; return; }
    event.preventDefault();
    pending = { form: form, submitter: submitter };
    message.textContent = source.getAttribute("data-confirm");
    accept.textContent = source.getAttribute("data-confirm-label") || defaultLabel;
    dialog.showModal();
    accept.focus();
  }, true);

  dialog.addEventListener("close", function () {
    var chosen = dialog.returnValue === "confirm" && pending;
    var target = pending;
    pending = null;
    dialog.returnValue = "";
    if (!chosen) { return; }
    target.form.dataset.confirmed = "1";
    if (typeof target.form.requestSubmit === "function") {
      target.form.requestSubmit(target.submitter || undefined);
    } else {
      target.form.submit();
    }
  });
})();

// Layout helpers: the collapsible menu on narrow screens, focus on the first field in error, tables that
// scroll sideways reachable by keyboard.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var toggle = document.getElementById("menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" &&
          window.getComputedStyle(toggle).display !== "none") {
        toggle.setAttribute("aria-expanded", "false");
        menu.classList.remove("open");
        toggle.focus();
      }
    });
  }

  function focusFirstError() {
    var main = document.getElementById("main");
    if (!main) { return; }
    var field = main.querySelector("[aria-invalid=true]:not([type=hidden])");
    var target = field || main.querySelector("[data-form-errors]");
    if (!target) { return; }
    if (!field) { target.setAttribute("tabindex", "-1"); }
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }

  function scrollableTables(root) {
    (root || document).querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");  // a sideways-scrolling table is reachable with the keyboard
      }
    });
  }

  window.cpasLayout = { focusFirstError: focusFirstError, scrollableTables: scrollableTables };
  document.addEventListener("DOMContentLoaded", function () { scrollableTables(); });
  window.addEventListener("resize", function () { scrollableTables(); });
  document.addEventListener("htmx:afterSettle", function (event) { scrollableTables(event.target); });
})();

// Date fields: dd/mm/yyyy in every interface language, whatever the browser's own locale, with a small
// picker in the page's language. Each <input type=date> becomes a visible text field (it keeps the id,
// label, aria-* and required of the original) and a hidden field carrying the ISO date under the
// original name. Text that is not a date is sent as typed, so the server's field error shows.
(function () {
  "use strict";
  var strings = document.getElementById("ui-strings");
  var text = function (key, fallback) { return (strings && strings.getAttribute("data-" + key)) || fallback; };
  var language = document.documentElement.lang || "fr";
  var FORWARDED = ["id", "required", "disabled", "readonly", "autofocus", "aria-invalid", "aria-describedby",
                   "aria-label", "aria-labelledby", "title"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function shown(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  function make(y, m, d) {
    var date = new Date(y, m - 1, d);
    date.setFullYear(y);  // years below 100 stay as typed
    return (date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d) ? date : null;
  }
  // Day first (17/05/1990, 17-05-1990, 17.05.1990, 17/05/90, 17051990) or ISO (1990-05-17).
  function parse(value) {
    var v = (value || "").trim(), m;
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v))) { return make(+m[1], +m[2], +m[3]); }
    if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(v))) { return make(+m[3], +m[2], +m[1]); }
    if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{2})$/.exec(v))) {
      var yy = +m[3];  // as the server reads %y: 69–99 are the 1900s, 00–68 the 2000s
      return make(yy < 69 ? 2000 + yy : 1900 + yy, +m[2], +m[1]);
    }
    if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(v))) { return make(+m[3], +m[2], +m[1]); }
    return null;
  }
  function limit(attr) { return attr ? parse(attr) : null; }
  function format(date, options) {
    try { return new Intl.DateTimeFormat(language, options).format(date); } catch (e) { return shown(date); }
  }

  var picker = null;  // the one open picker: {box, field, button, hidden, month, focused}

  function closePicker(returnFocus) {
    if (!picker) { return; }
    var p = picker;
    picker = null;
    p.box.remove();
    p.button.setAttribute("aria-expanded", "false");
    if (returnFocus) { p.button.focus(); }
  }

  function renderMonth() {
    var p = picker, min = limit(p.hidden.getAttribute("data-min")), max = limit(p.hidden.getAttribute("data-max"));
    var first = new Date(p.month.getFullYear(), p.month.getMonth(), 1);
    p.title.textContent = format(first, { month: "long", year: "numeric" });
    var body = p.grid.tBodies[0];
    body.textContent = "";
    var offset = (first.getDay() + 6) % 7;  // weeks start on Monday in Belgium
    var day = new Date(first.getFullYear(), first.getMonth(), 1 - offset);
    var selected = parse(p.hidden.value), today = new Date();
    for (var week = 0; week < 6; week++) {
      var row = body.insertRow();
      for (var i = 0; i < 7; i++) {
        var cell = row.insertCell();
        var inMonth = day.getMonth() === first.getMonth();
        if (inMonth) {
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = day.getDate();
          b.setAttribute("data-date", iso(day));
          b.setAttribute("aria-label", format(day, { weekday: "long", day: "numeric", month: "long", year: "numeric" }));
          b.tabIndex = -1;
          if (selected && iso(selected) === iso(day)) { b.setAttribute("aria-pressed", "true"); }
          if (iso(today) === iso(day)) { b.setAttribute("aria-current", "date"); }
          if ((min && day < min) || (max && day > max)) { b.disabled = true; }
          cell.appendChild(b);
        }
        day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
      }
    }
    var focus = body.querySelector('[data-date="' + iso(p.focused) + '"]') || body.querySelector("button");
    if (focus) { focus.tabIndex = 0; }
    return focus;
  }

  function moveTo(date) {
    picker.focused = date;
    if (date.getMonth() !== picker.month.getMonth() || date.getFullYear() !== picker.month.getFullYear()) {
      picker.month = new Date(date.getFullYear(), date.getMonth(), 1);
    }
    var b = renderMonth();
    if (b) { b.focus(); }
  }

  function choose(isoValue, field, hidden) {
    var date = parse(isoValue);
    field.value = shown(date);
    sync(field, hidden);
    closePicker(true);
  }

  function openPicker(field, button, hidden) {
    if (picker && picker.field === field) { closePicker(true); return; }
    closePicker(false);
    var current = parse(hidden.value) || new Date();
    var box = document.createElement("div");
    box.className = "date-picker";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", text("date-choose", "Choose a date"));
    box.innerHTML = '<div class="date-picker-head"><button type="button" class="date-prev"></button>' +
      '<span class="date-title" aria-live="polite"></span><button type="button" class="date-next"></button></div>' +
      '<table class="date-grid" role="presentation"><thead><tr></tr></thead><tbody></tbody></table>' +
      '<div class="date-picker-foot"><button type="button" class="date-today"></button>' +
      '<button type="button" class="date-close"></button></div>';
    var prev = box.querySelector(".date-prev"), next = box.querySelector(".date-next");
    prev.textContent = "‹"; prev.setAttribute("aria-label", text("date-prev", "Previous month"));
    next.textContent = "›"; next.setAttribute("aria-label", text("date-next", "Next month"));
    box.querySelector(".date-today").textContent = text("date-today", "Today");
    box.querySelector(".date-close").textContent = text("date-close", "Close");
    var head = box.querySelector("thead tr");
    for (var i = 0; i < 7; i++) {  // 1 January 2024 was a Monday
      var d = new Date(2024, 0, 1 + i), th = document.createElement("th");
      th.scope = "col";
      th.textContent = format(d, { weekday: "narrow" });
      th.title = format(d, { weekday: "long" });
      head.appendChild(th);
    }
    button.parentNode.appendChild(box);
    picker = { box: box, field: field, button: button, hidden: hidden, grid: box.querySelector("table"),
               title: box.querySelector(".date-title"), focused: current,
               month: new Date(current.getFullYear(), current.getMonth(), 1) };
    button.setAttribute("aria-expanded", "true");
    var focus = renderMonth();
    prev.addEventListener("click", function () {
      picker.month = new Date(picker.month.getFullYear(), picker.month.getMonth() - 1, 1);
      picker.focused = picker.month; renderMonth();
    });
    next.addEventListener("click", function () {
      picker.month = new Date(picker.month.getFullYear(), picker.month.getMonth() + 1, 1);
      picker.focused = picker.month; renderMonth();
    });
    box.querySelector(".date-today").addEventListener("click", function () { choose(iso(new Date()), field, hidden); });
    box.querySelector(".date-close").addEventListener("click", function () { closePicker(true); });
    box.addEventListener("click", function (event) {
      var b = event.target.closest("[data-date]");
      if (b && !b.disabled) { choose(b.getAttribute("data-date"), field, hidden); }
    });
    box.addEventListener("keydown", function (event) {
      var b = event.target.closest("[data-date]");
      if (event.key === "Escape") { event.preventDefault(); closePicker(true); return; }
      if (!b) { return; }
      var f = picker.focused, steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
      if (steps[event.key]) {
        event.preventDefault();
        moveTo(new Date(f.getFullYear(), f.getMonth(), f.getDate() + steps[event.key]));
      } else if (event.key === "PageUp" || event.key === "PageDown") {
        event.preventDefault();
        moveTo(new Date(f.getFullYear(), f.getMonth() + (event.key === "PageUp" ? -1 : 1), Math.min(f.getDate(), 28)));
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        var dow = (f.getDay() + 6) % 7;
        moveTo(new Date(f.getFullYear(), f.getMonth(), f.getDate() + (event.key === "Home" ? -dow : 6 - dow)));
      }
    });
    if (focus) { focus.focus(); }
  }

  function sync(field, hidden) {
    var date = parse(field.value);
    var value = field.value.trim() === "" ? "" : (date ? iso(date) : field.value.trim());
    if (hidden.value !== value) {
      hidden.value = value;
      hidden.dispatchEvent(new Event("input", { bubbles: true }));
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function enhance(input) {
    if (input.getAttribute("data-date-enhanced")) { return; }
    var field = document.createElement("input");
    field.type = "text";
    field.className = (input.className ? input.className + " " : "") + "date-text";
    field.setAttribute("autocomplete", "off");
    field.setAttribute("placeholder", text("date-placeholder", "dd/mm/yyyy"));
    field.setAttribute("size", "10");
    FORWARDED.forEach(function (name) {
      if (input.hasAttribute(name)) { field.setAttribute(name, input.getAttribute(name)); }
    });
    var value = input.getAttribute("value") || input.value || "";
    var date = parse(value);
    field.value = date ? shown(date) : value;

    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = date ? iso(date) : value;
    hidden.setAttribute("data-date-enhanced", "1");
    if (input.id) { hidden.id = input.id + "_value"; }
    if (input.min) { hidden.setAttribute("data-min", input.min); }
    if (input.max) { hidden.setAttribute("data-max", input.max); }
    Array.prototype.forEach.call(input.attributes, function (attr) {  // hx-*, data-* for HTMX triggers
      if (/^(hx-|data-)/.test(attr.name)) { hidden.setAttribute(attr.name, attr.value); }
    });

    var wrapper = document.createElement("span");
    wrapper.className = "date-field";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "date-open";
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", text("date-choose", "Choose a date"));
    button.innerHTML = '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">' +
      '<rect x="1.5" y="3" width="13" height="11.5" rx="1.5" fill="none" stroke="currentColor"/>' +
      '<path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor"/></svg>';
    if (input.disabled || input.readOnly) { button.disabled = true; }

    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(field);
    wrapper.appendChild(button);
    wrapper.appendChild(hidden);
    input.remove();

    field.addEventListener("input", function () { sync(field, hidden); });
    field.addEventListener("change", function () {
      sync(field, hidden);
      var d = parse(field.value);
      if (d) { field.value = shown(d); }
    });
    field.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && event.altKey) { event.preventDefault(); openPicker(field, button, hidden); }
    });
    button.addEventListener("click", function () { openPicker(field, button, hidden); });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("input[type=date]").forEach(enhance);
  }

  document.addEventListener("click", function (event) {
    if (picker && !picker.box.contains(event.target) && !picker.button.contains(event.target)) { closePicker(false); }
  });
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll(".date-field").forEach(function (w) {
      sync(w.querySelector(".date-text"), w.querySelector("input[type=hidden]"));
    });
  }, true);
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.detail.elt); });
  enhanceAll(document);
  if (window.cpasLayout) { window.cpasLayout.focusFirstError(); }
})();
