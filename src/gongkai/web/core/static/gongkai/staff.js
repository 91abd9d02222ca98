// Small behaviours of the staff pages, here rather than inline (the Content-Security-Policy allows no inline code):
//   data-autosubmit on a <select>: submit its form on change (a <noscript> button does it without JavaScript);
//   data-back on a link: go back in the history.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]") && event.target.form) { event.target.form.submit(); }
});
document.addEventListener("click", function (event) {
  var back = event.target.closest("a[data-back]");
  if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); }
});
