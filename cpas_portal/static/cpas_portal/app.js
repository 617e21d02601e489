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
