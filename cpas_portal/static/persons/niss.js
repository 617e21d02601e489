// A national (or BIS) number typed first fills the birth date and the sex it encodes, when they are still empty.
// The server checks them against the number whatever happens here (cpas_portal/identifiers.py niss_conflicts).
(function () {
  "use strict";

  function decode(typed) {
    var digits = (typed || "").replace(/[\s.\-\/]/g, "");
    if (!/^\d{11}$/.test(digits)) { return null; }
    var body = parseInt(digits.slice(0, 9), 10);
    var check = parseInt(digits.slice(9), 10);
    var century;
    // The century comes from the check digits: born from 2000, "2" is put before the first nine digits.
    if (97 - (body % 97) === check) { century = 1900; }
    else if (97 - ((2000000000 + body) % 97) === check) { century = 2000; }
    else { return null; }
    var rawMonth = parseInt(digits.slice(2, 4), 10);
    var day = parseInt(digits.slice(4, 6), 10);
    var counter = parseInt(digits.slice(6, 9), 10);
    // BIS numbers add 20 (sex unknown when given) or 40 (sex known) to the month.
    var month = rawMonth % 20;
    var sex = rawMonth >= 20 && rawMonth < 40 ? null : (counter % 2 ? "M" : "F");
    var year = century + parseInt(digits.slice(0, 2), 10);
    var date = null;
    var probe = new Date(Date.UTC(year, month - 1, day));
    if (month >= 1 && month <= 12 && day >= 1 && probe.getUTCDate() === day) {
      date = { year: year, month: month, day: day };
    }
    return { date: date, sex: sex };
  }

  function pad(value) { return (value < 10 ? "0" : "") + value; }

  function fill(niss) {
    var form = niss.form;
    var found = decode(niss.value);
    if (!form || !found) { return; }
    var birth = form.querySelector("[name=birth_date]");
    // An enhanced date field (app.js) is a visible dd/mm/yyyy text field next to the hidden ISO field that
    // carries the name: the date goes into the visible field, whose events keep the hidden one in step.
    var wrapper = birth && birth.getAttribute("data-date-enhanced") ? birth.closest(".date-field") : null;
    var shownField = wrapper ? wrapper.querySelector(".date-text") : null;
    if (shownField) { birth = shownField; }
    if (birth && !birth.value && found.date) {
      var d = found.date;
      birth.value = birth.type === "date" ? d.year + "-" + pad(d.month) + "-" + pad(d.day)
        : pad(d.day) + "/" + pad(d.month) + "/" + d.year;
      birth.dispatchEvent(new Event("input", { bubbles: true }));
      birth.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var sex = form.querySelector("[name=sex]");
    if (sex && !sex.value && found.sex) {
      sex.value = found.sex;
      sex.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[data-niss-fills]")) { fill(event.target); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-niss-fills]")) { fill(event.target); }
  });
})();
