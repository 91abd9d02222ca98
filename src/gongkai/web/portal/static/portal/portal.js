// The portal's only script (no inline code: the Content-Security-Policy allows scripts from this site's files only).
// Buttons marked data-print print the page; everything else works without JavaScript.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print]");
  if (target) { event.preventDefault(); window.print(); }
});
